package io.redisha.policies.analyzer;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.redisha.policies.ResourceView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pulumi's property encoding over gRPC (sdk/go/common/resource/plugin/rpc.go) to plain Java values:
 * secrets arrive as {@code {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 * "value": ...}}, unknowns as a fixed UUID string, output values with their own signature.
 */
public final class Structs {
    static final String SIG_KEY = "4dabf18193072939515e22adb298388d";
    static final String SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
    static final String OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
    static final String UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    private Structs() {
    }

    /** A resource as the engine sends it, with top-level secret properties remembered. */
    public static ResourceView resource(String type, String urn, String name, Struct properties) {
        return resource(type, urn, name, properties, Map.of());
    }

    /** As {@link #resource(String, String, String, Struct)}, with the property dependencies AnalyzeStack sends. */
    public static ResourceView resource(String type, String urn, String name, Struct properties,
                                        Map<String, List<String>> propertyDependencies) {
        Set<String> secrets = new HashSet<>();
        Map<String, Object> props = new LinkedHashMap<>();
        properties.getFieldsMap().forEach((key, value) -> {
            if (containsSecret(value)) {
                secrets.add(key);
            }
            props.put(key, toJava(value));
        });
        return new ResourceView(type, urn, name, props, secrets, "", propertyDependencies);
    }

    public static Object toJava(Value value) {
        switch (value.getKindCase()) {
            case NULL_VALUE:
            case KIND_NOT_SET:
                return null;
            case BOOL_VALUE:
                return value.getBoolValue();
            case NUMBER_VALUE:
                double d = value.getNumberValue();
                return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
            case STRING_VALUE:
                return value.getStringValue().equals(UNKNOWN) ? ResourceView.UNKNOWN : value.getStringValue();
            case LIST_VALUE:
                List<Object> list = new ArrayList<>();
                value.getListValue().getValuesList().forEach(v -> list.add(toJava(v)));
                return list;
            case STRUCT_VALUE:
                Map<String, Value> fields = value.getStructValue().getFieldsMap();
                Value sig = fields.get(SIG_KEY);
                if (sig != null && sig.getStringValue().equals(SECRET_SIG)) {
                    return fields.containsKey("value") ? toJava(fields.get("value")) : ResourceView.UNKNOWN;
                }
                if (sig != null && sig.getStringValue().equals(OUTPUT_SIG)) {
                    return fields.containsKey("value") ? toJava(fields.get("value")) : ResourceView.UNKNOWN;
                }
                Map<String, Object> map = new LinkedHashMap<>();
                fields.forEach((k, v) -> map.put(k, toJava(v)));
                return map;
            default:
                throw new IllegalArgumentException("unexpected protobuf value kind " + value.getKindCase());
        }
    }

    static boolean containsSecret(Value value) {
        if (value.hasStructValue()) {
            Map<String, Value> fields = value.getStructValue().getFieldsMap();
            Value sig = fields.get(SIG_KEY);
            if (sig != null && sig.getStringValue().equals(SECRET_SIG)) {
                return true;
            }
            if (sig != null && sig.getStringValue().equals(OUTPUT_SIG) && fields.containsKey("secret")
                    && fields.get("secret").getBoolValue()) {
                return true;
            }
            return fields.values().stream().anyMatch(Structs::containsSecret);
        }
        if (value.hasListValue()) {
            return value.getListValue().getValuesList().stream().anyMatch(Structs::containsSecret);
        }
        return false;
    }

    /** Plain Java (String, Number, Boolean, List, Map, null) to a protobuf Value. */
    public static Value toValue(Object java) {
        if (java == null) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (java == ResourceView.UNKNOWN) {
            return Value.newBuilder().setStringValue(UNKNOWN).build();
        }
        if (java instanceof Boolean b) {
            return Value.newBuilder().setBoolValue(b).build();
        }
        if (java instanceof Number n) {
            return Value.newBuilder().setNumberValue(n.doubleValue()).build();
        }
        if (java instanceof String s) {
            return Value.newBuilder().setStringValue(s).build();
        }
        if (java instanceof List<?> list) {
            ListValue.Builder values = ListValue.newBuilder();
            list.forEach(v -> values.addValues(toValue(v)));
            return Value.newBuilder().setListValue(values).build();
        }
        if (java instanceof Map<?, ?> map) {
            return Value.newBuilder().setStructValue(toStruct(map)).build();
        }
        return Value.newBuilder().setStringValue(String.valueOf(java)).build();
    }

    public static Struct toStruct(Map<?, ?> map) {
        Struct.Builder struct = Struct.newBuilder();
        map.forEach((k, v) -> struct.putFields(String.valueOf(k), toValue(v)));
        return struct.build();
    }

    /** Wraps a value in Pulumi's secret envelope, as the engine sends secret properties. */
    public static Value secret(Object java) {
        return Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields(SIG_KEY, Value.newBuilder().setStringValue(SECRET_SIG).build())
                .putFields("value", toValue(java))).build();
    }
}

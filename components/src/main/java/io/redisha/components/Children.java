package io.redisha.components;

import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the parts of {@link RedisCluster} declare children: parented to the component (so URNs stay put), tagged alike. */
final class Children {
    private Children() {
    }

    static CustomResourceOptions of(Resource parent) {
        return CustomResourceOptions.builder().parent(parent).build();
    }

    static CustomResourceOptions of(Resource parent, List<? extends Resource> dependsOn) {
        return CustomResourceOptions.builder().parent(parent).dependsOn(List.copyOf(dependsOn)).build();
    }

    /** The cluster's tags plus one more (usually {@code Name}). */
    static Map<String, String> tags(Map<String, String> base, String key, String value) {
        Map<String, String> t = new LinkedHashMap<>(base);
        t.put(key, value);
        return t;
    }
}

package io.redisha.policies;

import java.util.List;

/** Every resource of a stack, for rules that judge the cluster as a whole. */
public record StackView(List<ResourceView> resources) {

    public StackView {
        resources = List.copyOf(resources);
    }

    public List<ResourceView> ofType(String type) {
        return resources.stream().filter(r -> r.is(type)).toList();
    }

    /** The Redis clusters in the stack, as the instances' redis-ha tags describe them. */
    public List<ClusterFacts> clusters() {
        return ClusterFacts.of(this);
    }
}

package io.redisha.policies;

/** What a rule found wrong with one resource: the message names the resource and the fix. */
public record Finding(ResourceView resource, String message) {
}

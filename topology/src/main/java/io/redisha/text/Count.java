package io.redisha.text;

/** A number with its noun in the right number: {@code 1 replica}, {@code 2 replicas}. One place for every message. */
public final class Count {
    private Count() {
    }

    /** {@code of(1, "key")} is {@code 1 key}, {@code of(4, "key")} is {@code 4 keys}. */
    public static String of(long n, String singular) {
        return n + " " + noun(n, singular);
    }

    /** For nouns with an irregular plural: {@code of(2, "process", "processes")}. */
    public static String of(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** The noun alone: {@code singular} for 1, {@code singular + "s"} otherwise. */
    public static String noun(long n, String singular) {
        return n == 1 ? singular : singular + "s";
    }

    /** {@code is} for 1, {@code are} otherwise. */
    public static String verb(long n) {
        return n == 1 ? "is" : "are";
    }
}

package io.redisha.backup;

import java.io.InputStream;

/** Where backups are kept: a folder or an S3 prefix. Objects are written once and never deleted by redis-ha. */
public interface ObjectStore extends AutoCloseable {

    /** An object being written; it exists under its name only once {@link #finish()} returned. */
    interface Sink {
        void write(byte[] bytes, int offset, int length);

        /** Makes the object visible under its name. */
        void finish();

        /** Drops what was written (an interrupted transfer leaves no object behind). */
        void abort();
    }

    /** Starts writing {@code name} under this store's location. */
    Sink create(String name);

    /**
     * Reads {@code name}.
     *
     * @throws MissingObjectException when there is no such object
     */
    InputStream open(String name);

    /** Writes a small object in one piece. */
    default void put(String name, byte[] bytes) {
        Sink sink = create(name);
        try {
            sink.write(bytes, 0, bytes.length);
            sink.finish();
        } catch (RuntimeException e) {
            sink.abort();
            throw e;
        }
    }

    /** Where {@code name} lives, the way a user would type it ({@code /backups/x/manifest.json}, {@code s3://b/p/manifest.json}). */
    String describe(String name);

    /** A store at the same place one level down (a backup's own folder under the destination). */
    ObjectStore child(String folder);

    @Override
    void close();

    /** The object a manifest lists is not there. */
    final class MissingObjectException extends RuntimeException {
        public MissingObjectException(String where) {
            super(where + " does not exist");
        }
    }
}

package io.redisha.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Backups in a local (or mounted) folder: each object written to a {@code .partial} file and renamed when complete. */
public final class FolderStore implements ObjectStore {
    private final Path root;

    public FolderStore(Path root) {
        this.root = root;
    }

    @Override
    public Sink create(String name) {
        Path target = root.resolve(name);
        Path partial = root.resolve(name + ".partial");
        OutputStream out;
        try {
            Files.createDirectories(root);
            out = new java.io.BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + partial + ": " + e.getMessage(), e);
        }
        return new Sink() {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    out.write(bytes, offset, length);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + partial + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void finish() {
                try {
                    out.close();
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot complete " + target + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void abort() {
                try {
                    out.close();
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // Nothing more to clean up than a partial file we could not delete.
                }
            }
        };
    }

    @Override
    public InputStream open(String name) {
        try {
            return Files.newInputStream(root.resolve(name));
        } catch (NoSuchFileException e) {
            throw new MissingObjectException(describe(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + describe(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe(String name) {
        return root.resolve(name).toString();
    }

    @Override
    public ObjectStore child(String folder) {
        return new FolderStore(root.resolve(folder));
    }

    @Override
    public void close() {
        // No connection to release.
    }
}

package io.stratum.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Per-engine-version data directory templates, initialised once and copied for every new instance (a copy starts
 * about four times faster than a fresh init). A template appears atomically: built aside, then renamed into place.
 */
public final class Templates {
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private Templates() {}

    /**
     * The template directory {@code templatesDir/key}, built by {@code init} (given an empty directory, as user
     * {@code builder}; null: the control plane's own) if missing. A template built by another user is handed to the
     * control plane's user once built, so no engine's user can change what later instances are copied from; one that
     * is not the control plane's (left by an older Stratum, when the builder could still change it) is built again.
     */
    public static Path ensure(Path templatesDir, String key, String builder, Consumer<Path> init) {
        Path template = templatesDir.resolve(key);
        if (trusted(template, builder)) return template;
        synchronized (LOCKS.computeIfAbsent(template, k -> new Object())) {
            if (trusted(template, builder)) return template;
            try {
                Files.createDirectories(templatesDir);
                if (builder != null && Files.exists(template, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    ToolRunner asBuilder = new ToolRunner(builder); // its own files first: no link of its is followed by root
                    asBuilder.run(asBuilder.asEngineUser(java.util.List.of("rm", "-rf", "--one-file-system", "--", template.toString())), null,
                            null, java.time.Duration.ofMinutes(10), null);
                }
                EngineFiles.deleteTree(template);
                Path building = templatesDir.resolve(key + ".building");
                EngineFiles.deleteTree(building);
                Files.createDirectory(building, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                EngineFiles.chown(building, builder);
                init.accept(building);
                if (builder != null) EngineFiles.chownTree(new ToolRunner(null), building, System.getProperty("user.name"));
                Files.move(building, template, StandardCopyOption.ATOMIC_MOVE);
                return template;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build template " + template, e);
            }
        }
    }

    private static boolean trusted(Path template, String builder) {
        if (!Files.isDirectory(template, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return false;
        if (builder == null) return true;
        try {
            return Files.getOwner(template, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes {@code dataDir} a copy of {@code template} owned by {@code owner} (null: as copied) unless {@code marker}
     * shows it is already complete: the template's spare copy when there is one ({@link SpareCopies}: a rename), else a
     * fresh copy; either way the next spare is then made in the background. The copy goes to a side directory and is
     * renamed into place, so an interrupted copy is never mistaken for a finished one.
     */
    public static void cloneInto(ToolRunner tools, Path template, Path dataDir, String marker, String owner) {
        if (Files.exists(dataDir.resolve(marker))) return;
        Path side = dataDir.resolveSibling(dataDir.getFileName() + ".copy");
        EngineFiles.deleteTree(side);
        if (!SpareCopies.take(template, side)) new CopyTree(tools).copy(template, side);
        SpareCopies.refill(tools, template);
        EngineFiles.chownTree(tools, side, owner);
        EngineFiles.deleteTree(dataDir);
        try {
            Files.move(side, dataDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + side + " to " + dataDir, e);
        }
        flushInBackground(tools, dataDir);   // the copy, or the spare's new owner and name
    }

    /**
     * Flushes the copied files to disk without holding up the create: the copy holds no user data yet, and the engine
     * fsyncs everything it writes from then on.
     */
    private static void flushInBackground(ToolRunner tools, Path dataDir) {
        Thread t = new Thread(() -> {
            try {
                new CopyTree(tools).flushAsOwner(dataDir);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Templates.class).warn("flushing {} failed: {}", dataDir, e.toString());
            }
        }, "flush-" + dataDir.getParent().getFileName());
        t.setDaemon(true);
        t.start();
    }
}

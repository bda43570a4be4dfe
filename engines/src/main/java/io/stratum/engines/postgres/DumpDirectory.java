package io.stratum.engines.postgres;

import io.stratum.engines.EngineFiles;
import io.stratum.engines.ToolRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A {@code pg_dump} directory-format dump ({@code toc.dat} and one file per table's data, which {@code pg_restore -j}
 * loads side by side) carried as one tar stream (Apache Commons Compress, POSIX headers) inside a backup archive. That
 * is PostgreSQL's dump layout 2; layout 1, a single {@code pg_dump -Fc} stream, starts with {@code PGDMP} and is told
 * apart by it ({@link #isCustomFormat}). Unpacking takes only the flat names {@code pg_dump} writes, as regular files
 * created anew (never through a link), and reads the archive to its end, so its whole-archive check has run before
 * anything is loaded.
 */
final class DumpDirectory {
    /** toc.dat, 1234.dat, blobs.toc, blob_16384.dat: no directory, no leading dot, nothing else. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}\\.(dat|toc)");
    /** A table's data: the file is named after the dump ID of its TABLE DATA entry. */
    static final Pattern TABLE_DATA = Pattern.compile("([0-9]{1,10})\\.dat");
    private static final byte[] CUSTOM_MAGIC = {'P', 'G', 'D', 'M', 'P'};
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> TRAVERSE_ONLY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx--x--x"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    private DumpDirectory() {}

    /** True when {@code head} (the first bytes of a dump) is a {@code pg_dump -Fc} archive: layout 1. */
    static boolean isCustomFormat(byte[] head) {
        return head.length >= CUSTOM_MAGIC.length && java.util.Arrays.equals(head, 0, CUSTOM_MAGIC.length, CUSTOM_MAGIC, 0, CUSTOM_MAGIC.length);
    }

    /** How many bytes {@link #isCustomFormat} looks at. */
    static int headBytes() {
        return CUSTOM_MAGIC.length;
    }

    /** A new, empty directory (0700) for {@code owner}; one left by an earlier attempt is removed first ({@link #remove}). */
    static void createEmpty(Path dir, String owner) {
        try {
            Files.createDirectory(dir, DIRECTORY);
            EngineFiles.chown(dir, owner);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /**
     * Writes the files of {@code dir} to {@code out} as one POSIX tar stream, {@code toc.dat} first. The directory is
     * the dump's OS user's, so {@code tar} runs as that user ({@code asOwner}): a link, pipe or device planted there is
     * archived as what it is (and refused by {@link #unpack}), never opened with root's rights. Only names pg_dump
     * writes are passed; anything else in the directory fails the dump. On its way to {@code out} the tar stream is
     * read back (Commons Compress) and each table's data file ({@code 1234.dat}, COPY text) counted and checksummed:
     * the answer maps those file names to their {@link CopyRowChecksum}, which spares the database a second scan of
     * every table for the manifest.
     */
    static Map<String, CopyRowChecksum> pack(ToolRunner asOwner, Path dir, OutputStream out, java.time.Duration timeout) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> listed = Files.list(dir)) {
            listed.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the dump in " + dir, e);
        }
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalStateException("the dump in " + dir + " holds '" + printable(name) + "', which pg_dump does not write");
            }
        }
        if (!names.contains("toc.dat")) throw new IllegalStateException("the dump in " + dir + " has no toc.dat");
        names.sort(Comparator.comparing((String n) -> !n.equals("toc.dat")).thenComparing(Comparator.naturalOrder()));
        List<String> argv = new ArrayList<>(List.of("tar", "--format=posix", "--pax-option=delete=atime,delete=ctime", "--mtime=@0",
                "--owner=0", "--group=0", "--numeric-owner", "--mode=0600", "--no-recursion", "-C", dir.toString(), "-cf", "-", "--"));
        argv.addAll(names);
        Map<String, CopyRowChecksum> sums = new HashMap<>();
        asOwner.readAsUser(argv, Map.of(), tarStream -> {
            Tee passed = new Tee(tarStream, out);
            TarArchiveInputStream tar = new TarArchiveInputStream(passed);
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (!plainFile(e)) {
                    throw new IOException("the dump in " + dir + " holds '" + printable(e.getName()) + "', which is not a regular file");
                }
                if (!TABLE_DATA.matcher(e.getName()).matches()) continue;
                CopyRowChecksum sum = new CopyRowChecksum();
                tar.transferTo(sum);
                sums.put(e.getName(), sum);
            }
            passed.transferTo(OutputStream.nullOutputStream()); // the end of the tar stream, which the parser leaves unread
        }, timeout);
        return sums;
    }

    /** A regular file's entry: no link, device, pipe, directory or sparse file. */
    private static boolean plainFile(TarArchiveEntry e) {
        return (e.getLinkFlag() == TarArchiveEntry.LF_NORMAL || e.getLinkFlag() == TarArchiveEntry.LF_OLDNORM) && !e.isSparse() && !e.isLink()
                && !e.isSymbolicLink();
    }

    /** Everything read from {@code in} is written to {@code out} too, in order, before the reader gets it. */
    private static final class Tee extends java.io.FilterInputStream {
        private final OutputStream out;

        Tee(InputStream in, OutputStream out) {
            super(in);
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) out.write(b);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) out.write(b, off, n);
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) return 0;
            byte[] buf = new byte[(int) Math.min(n, 65536)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }
    }

    /**
     * Removes a dump directory: its files as their owner ({@code rm}, so a link planted inside is never followed by
     * root), then the emptied directory itself (its parent is root's). Quietly leaves what cannot be removed.
     */
    static void remove(ToolRunner asOwner, Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
            if (asOwner.asEngineUser().isEmpty()) {
                EngineFiles.deleteTree(dir);
                return;
            }
            asOwner.run(asOwner.asEngineUser(List.of("rm", "-rf", "--one-file-system", "--", dir.toString())), null, null,
                    java.time.Duration.ofMinutes(30), null);
            Files.deleteIfExists(dir);
        } catch (IOException | RuntimeException e) {
            // not empty (something its owner could not remove), or rm did not run: the next dump or the instance's removal
            // tries again; the failure that brought us here is the one reported
        }
    }

    private static String printable(String name) {
        return name.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * Unpacks a tar stream written by {@link #pack} into {@code dir} (created empty, Stratum's, 0711; each file 0600 and
     * {@code owner}'s, who alone reads them), then reads {@code in} to its end. Refuses any entry that is not a regular file with a name
     * {@code pg_dump} writes, and a name given twice.
     */
    static void unpack(InputStream in, Path dir, String owner) {
        try {
            EngineFiles.deleteTree(dir);
            Files.createDirectory(dir, TRAVERSE_ONLY); // Stratum's own: the reader opens its files by name and can add none
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName();
                if (!plainFile(e) || !NAME.matcher(name).matches()) {
                    throw new IllegalStateException("the dump holds '" + printable(name) + "', which is not a file pg_dump writes: it is "
                            + "not loaded");
                }
                Path file = dir.resolve(name);
                try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS), FILE)) {
                    tar.transferTo(Channels.newOutputStream(ch));
                } catch (java.nio.file.FileAlreadyExistsException twice) {
                    throw new IllegalStateException("the dump holds " + name + " twice: it is not loaded");
                }
                EngineFiles.chown(file, owner);
            }
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the dump into " + dir + ": " + e.getMessage(), e);
        }
    }
}

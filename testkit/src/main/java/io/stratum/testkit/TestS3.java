package io.stratum.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * s3proxy as a real S3 server (filesystem backend, AWS v2/v4 signatures, path-style), run from
 * {@code target/s3proxy.jar} (copied there by the build) as its own process on 127.0.0.1.
 */
public final class TestS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "stratum-test";
    private final Path dir;
    private final int port;
    private final String secretKey;
    private final Process process;

    private TestS3(Path dir, int port, String secretKey, Process process) {
        this.dir = dir;
        this.port = port;
        this.secretKey = secretKey;
        this.process = process;
    }

    public static TestS3 start() {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar + " is missing: run the build's pre-integration-test phase");
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "stratum-s3-");
            Files.createDirectories(dir.resolve("data"));
            int port = FreePort.find();
            String secret = "s3-secret-" + Long.toHexString(new java.security.SecureRandom().nextLong());
            Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + ACCESS_KEY, "s3proxy.credential=" + secret,
                    "jclouds.provider=filesystem", "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "-jar", jar.toString(), "--properties", dir.resolve("s3proxy.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    return new TestS3(dir, port, secret, p);
                } catch (IOException notYet) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        p.destroyForcibly();
                        throw new IllegalStateException("s3proxy did not start: " + Files.readString(dir.resolve("s3proxy.log")));
                    }
                    Thread.sleep(50);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Where the filesystem backend keeps bucket {@code bucket}'s objects (to inspect or damage them). */
    public Path bucketDir(String bucket) {
        return dir.resolve("data").resolve(bucket);
    }

    /** Every stored object file under the bucket, relative to it. */
    public java.util.List<Path> objects(String bucket) {
        try (Stream<Path> files = Files.walk(bucketDir(bucket))) {
            return files.filter(Files::isRegularFile).map(bucketDir(bucket)::relativize).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}

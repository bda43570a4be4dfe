package io.stratum.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FairDispatcherTest {
    @Test
    void oneStacksLongOperationsNeverHoldEveryWorker() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            FairDispatcher d = new FairDispatcher(4, stack -> 2, pool);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < 10; i++) d.submit("big", () -> await(release));
            CountDownLatch otherRan = new CountDownLatch(1);
            d.submit("small", otherRan::countDown);
            assertThat(otherRan.await(2, TimeUnit.SECONDS)).as("another stack's operation runs while 10 restores wait").isTrue();
            assertThat(d.running("big")).isEqualTo(2);
            assertThat(d.waiting("big")).isEqualTo(8);
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((d.running("big") > 0 || d.waiting("big") > 0) && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(d.waiting("big")).as("every queued task ran in the end").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void freeWorkersGoToStacksInTurn() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            FairDispatcher d = new FairDispatcher(1, stack -> 1, pool);
            CountDownLatch gate = new CountDownLatch(1);
            StringBuffer order = new StringBuffer();
            d.submit("a", () -> await(gate));
            for (int i = 0; i < 3; i++) d.submit("a", () -> order.append('a'));
            d.submit("b", () -> order.append('b'));
            d.submit("c", () -> order.append('c'));
            gate.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (order.length() < 5 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(order.toString()).as("b and c waited behind a, which had just run").isEqualTo("bcaaa");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.snapbus.local;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Starting components side by side: each start on a daemon thread of its own, and waits that always see every start
 * through, so a caller never loses track of a process that started while it was interrupted or another start failed.
 */
public final class Starts {

    private Starts() {
    }

    /** Runs {@code start} on a daemon thread of its own. */
    public static <T> CompletableFuture<T> async(Supplier<T> start) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(start.get());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }, "snapbus-local-start");
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    /**
     * What the start returned, or {@code null} after adding its failure to {@code failures}; an interrupt is kept
     * for later and the wait goes on (so nothing started is left untracked).
     */
    public static <T> T waitFor(CompletableFuture<T> future, List<RuntimeException> failures) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    failures.add(cause instanceof RuntimeException re ? re : new IllegalStateException(cause));
                    return null;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs the starts side by side and returns what they started, in order, once every one has returned. If any
     * failed, its failure is thrown once all have ended ({@link #throwFirst}); what the others started is then
     * known only to whatever each start registered it with, which must stop it.
     */
    public static <T> List<T> together(List<Supplier<T>> starts) {
        List<CompletableFuture<T>> futures = starts.stream().map(Starts::async).toList();
        List<RuntimeException> failures = new ArrayList<>();
        List<T> started = new ArrayList<>();
        for (CompletableFuture<T> future : futures) {
            started.add(waitFor(future, failures));
        }
        throwFirst(failures);
        return started;
    }

    /** Throws the first of {@code failures}, the others attached to it as suppressed; returns if there is none. */
    public static void throwFirst(List<RuntimeException> failures) {
        if (failures.isEmpty()) {
            return;
        }
        RuntimeException first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        throw first;
    }
}

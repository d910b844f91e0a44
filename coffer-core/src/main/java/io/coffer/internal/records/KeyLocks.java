package io.coffer.internal.records;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One lock per key, created on demand and dropped when no thread holds or waits for it.
 *
 * <p>A caller locks all the keys of an operation in ascending {@link String#compareTo} order, so two
 * operations can never wait for each other (no deadlock), and operations on disjoint keys never wait at
 * all. Waiting is in slices so that a waiter gives up when the database stops.
 */
public final class KeyLocks {
    private static final long WAIT_SLICE_MILLIS = 50;

    /** Key → lock; an entry lives while {@code users > 0}. Entries are changed only inside {@code compute}. */
    private final ConcurrentHashMap<String, KeyLock> locks = new ConcurrentHashMap<>();

    private static final class KeyLock {
        final ReentrantLock lock = new ReentrantLock();
        /** Threads holding or waiting; changed only inside the map's compute for this key. */
        int users;
    }

    /** Locks held by one operation; release them with {@link #unlock()}. */
    public final class Held {
        private final List<String> keys;
        private final List<KeyLock> held;

        private Held(List<String> keys, List<KeyLock> held) {
            this.keys = keys;
            this.held = held;
        }

        /** Releases every lock, in reverse order. Call once, from the thread that locked. */
        public void unlock() {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).lock.unlock();
                release(keys.get(i));
            }
        }
    }

    /**
     * Locks {@code sortedKeys} (ascending, distinct) in order.
     *
     * @param keepWaiting asked between wait slices; when false the locks taken so far are released
     * @return the held locks, or null if {@code keepWaiting} said stop
     */
    public Held lock(List<String> sortedKeys, BooleanSupplier keepWaiting) {
        List<KeyLock> held = new ArrayList<>(sortedKeys.size());
        for (String key : sortedKeys) {
            KeyLock keyLock = acquire(key);
            if (!lockInSlices(keyLock, keepWaiting)) {
                release(key);
                new Held(sortedKeys.subList(0, held.size()), held).unlock();
                return null;
            }
            held.add(keyLock);
        }
        return new Held(sortedKeys, held);
    }

    /** The number of keys with a live lock entry (for tests: it returns to 0 when all is released). */
    public int liveLocks() {
        return locks.size();
    }

    private static boolean lockInSlices(KeyLock keyLock, BooleanSupplier keepWaiting) {
        if (keyLock.lock.tryLock()) {
            return true;
        }
        boolean interrupted = false;
        try {
            while (keepWaiting.getAsBoolean()) {
                try {
                    if (keyLock.lock.tryLock(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private KeyLock acquire(String key) {
        return locks.compute(key, (k, existing) -> {
            KeyLock keyLock = existing == null ? new KeyLock() : existing;
            keyLock.users++;
            return keyLock;
        });
    }

    private void release(String key) {
        locks.compute(key, (k, existing) -> {
            if (existing == null) {
                throw new IllegalStateException("released a lock nobody holds: " + k);
            }
            return --existing.users == 0 ? null : existing;
        });
    }
}

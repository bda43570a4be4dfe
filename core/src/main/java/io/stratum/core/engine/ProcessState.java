package io.stratum.core.engine;

/** What the host says about an instance's engine process. */
public enum ProcessState {
    /** Alive and answering. */
    RUNNING,
    /** Not running and not expected to be (no pid file). */
    STOPPED,
    /** A pid file remains but the process is gone or a zombie: it crashed or was killed. */
    DEAD
}

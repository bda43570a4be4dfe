package io.stratum.core.model;

import java.time.Instant;

/** An append-only record of what happened and who did it. {@code stack} scopes visibility for operators. */
public record Event(long id, Instant time, String actor, String resource, String stack, String action, String detail) {}

package io.stratum.core.model;

import java.time.Instant;

public record Stack(String name, Instant createdAt) {}

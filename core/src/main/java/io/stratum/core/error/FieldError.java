package io.stratum.core.error;

/** One problem with one input field: which field, and what to do about it. */
public record FieldError(String field, String message) {}

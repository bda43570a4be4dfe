package io.stratum.core.error;

import java.util.List;

/** Bad input: names every offending field and how to fix it. Nothing was changed. */
public final class ValidationException extends StratumException {
    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super("validation-failed", summary(errors));
        this.errors = List.copyOf(errors);
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public Kind kind() {
        return Kind.VALIDATION;
    }

    private static String summary(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return "invalid request";
        }
        StringBuilder sb = new StringBuilder();
        for (FieldError e : errors) {
            if (!sb.isEmpty()) sb.append("; ");
            sb.append(e.field()).append(": ").append(e.message());
        }
        return sb.toString();
    }
}

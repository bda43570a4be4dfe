package io.stratum.core.validation;

import io.stratum.core.error.ValidationException;

/** A stage addressed as {@code STACK/STAGE}. */
public record StageAddress(String stack, String stage) {

    public static StageAddress parse(String field, String text) {
        if (text == null || text.indexOf('/') < 0 || text.indexOf('/') != text.lastIndexOf('/')) {
            throw ValidationException.of(field, "'" + text + "' is not a stage address: write STACK/STAGE, e.g. shop/prod");
        }
        String[] parts = text.split("/", -1);
        ResourceNames.require(field + " (stack)", parts[0]);
        ResourceNames.require(field + " (stage)", parts[1]);
        return new StageAddress(parts[0], parts[1]);
    }

    @Override
    public String toString() {
        return stack + "/" + stage;
    }
}

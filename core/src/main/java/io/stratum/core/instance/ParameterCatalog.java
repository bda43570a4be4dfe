package io.stratum.core.instance;

import io.stratum.core.error.FieldError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An engine's allow-list of parameters; unknown names are answered with the closest valid ones. */
public final class ParameterCatalog {
    private final Map<String, ParamSpec> specs = new LinkedHashMap<>();

    public ParameterCatalog(Collection<ParamSpec> all) {
        for (ParamSpec s : all) specs.put(s.name(), s);
    }

    public ParamSpec find(String name) {
        return specs.get(name);
    }

    public Collection<ParamSpec> all() {
        return specs.values();
    }

    /** Field errors for every invalid entry of {@code params} (field {@code param.NAME}). */
    public List<FieldError> validate(Map<String, String> params) {
        List<FieldError> errors = new ArrayList<>();
        params.forEach((name, value) -> {
            ParamSpec spec = specs.get(name);
            if (spec == null) {
                errors.add(new FieldError("param." + name, "unknown parameter" + suggestion(name)));
            } else {
                String problem = spec.problem(value);
                if (problem != null) errors.add(new FieldError("param." + name, problem));
            }
        });
        return errors;
    }

    private String suggestion(String name) {
        List<String> closest = specs.keySet().stream()
                .sorted(Comparator.comparingInt((String s) -> distance(name.toLowerCase(), s)).thenComparing(s -> s))
                .limit(3).toList();
        return closest.isEmpty() ? "" : "; did you mean " + String.join(", ", closest) + "?";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

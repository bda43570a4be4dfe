package io.stratum.core.engine;

import io.stratum.core.error.ValidationException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The engines found through {@link ServiceLoader}, by name and alias. */
public final class EngineRegistry {
    private final Map<String, EngineProvider> byName = new LinkedHashMap<>();

    public EngineRegistry(List<EngineProvider> providers) {
        for (EngineProvider p : providers) byName.put(p.name(), p);
    }

    public static EngineRegistry load() {
        return new EngineRegistry(ServiceLoader.load(EngineProvider.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    public Collection<EngineProvider> all() {
        return byName.values();
    }

    /** The provider for a name or alias; unknown names list the valid ones. */
    public EngineProvider resolve(String field, String nameOrAlias) {
        EngineProvider p = byName.get(nameOrAlias);
        if (p != null) return p;
        for (EngineProvider candidate : byName.values()) {
            if (candidate.aliases().containsKey(nameOrAlias)) return candidate;
        }
        throw ValidationException.of(field, "'" + nameOrAlias + "' is not an engine: use one of "
                + String.join(", ", byName.keySet()) + aliasesText());
    }

    public EngineProvider get(String name) {
        EngineProvider p = byName.get(name);
        if (p == null) throw new IllegalStateException("engine '" + name + "' is not available on this host");
        return p;
    }

    private String aliasesText() {
        StringBuilder sb = new StringBuilder();
        byName.values().forEach(p -> p.aliases().keySet().forEach(a -> sb.append(", ").append(a)));
        return sb.toString();
    }
}

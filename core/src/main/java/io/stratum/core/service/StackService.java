package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.model.Stack;
import io.stratum.core.model.Stage;
import io.stratum.core.validation.ResourceNames;
import java.util.List;
import java.util.stream.Collectors;

/** Stacks: an application, the top of the naming tree. Create and delete need an admin token. */
public final class StackService {
    private final Recorder recorder;

    public StackService(Recorder recorder) {
        this.recorder = recorder;
    }

    public Stack create(Principal p, String name) {
        p.requireAdmin("creating a stack");
        ResourceNames.require("name", name);
        Stack stack = new Stack(name, recorder.clock().instant());
        return recorder.record(p, tx -> {
            if (!tx.stacks().insert(stack)) {
                throw new ConflictException("already-exists", "stack '" + name + "' already exists");
            }
            return new Recorder.Change<>(stack, "stack/" + name, name, "stack.create", null);
        });
    }

    public List<Stack> list(Principal p) {
        return recorder.store().read(tx -> tx.stacks().list()).stream()
                .filter(s -> p.canRead(s.name())).toList();
    }

    public Stack get(Principal p, String name) {
        ResourceNames.require("stack", name);
        p.requireRead(name);
        return recorder.store().read(tx -> tx.stacks().find(name))
                .orElseThrow(() -> notFound(name));
    }

    public void delete(Principal p, String name) {
        ResourceNames.require("stack", name);
        p.requireAdmin("deleting a stack");
        recorder.record(p, tx -> {
            tx.stacks().find(name).orElseThrow(() -> notFound(name));
            List<Stage> stages = tx.stages().listByStack(name);
            if (!stages.isEmpty()) {
                String names = stages.stream().map(Stage::name).collect(Collectors.joining(", "));
                throw new ConflictException("has-stages", "stack '" + name + "' still has " + stages.size()
                        + " stage(s) (" + names + "): delete them first with 'stratum stage delete " + name + "/STAGE'");
            }
            tx.stacks().delete(name);
            return new Recorder.Change<>(null, "stack/" + name, name, "stack.delete", null);
        });
    }

    static NotFoundException notFound(String name) {
        return new NotFoundException("stack '" + name + "' does not exist (see 'stratum stack list')");
    }
}

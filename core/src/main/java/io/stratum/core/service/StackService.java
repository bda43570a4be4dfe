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
        if (!p.canRead(name)) throw notFound(name);
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
            List<String> secrets = tx.secrets().list().stream().filter(s -> name.equals(s.tags().get("stack"))).map(s -> s.name()).toList();
            if (!secrets.isEmpty()) {
                throw new ConflictException("has-secrets", "stack '" + name + "' still has " + secrets.size() + " secret(s) ("
                        + String.join(", ", secrets) + "): delete them first with 'stratum secret delete NAME --confirm NAME'");
            }
            // what the stack scoped goes with it, so that a new stack of the same name inherits nothing
            List<String> revoked = new java.util.ArrayList<>();
            for (var t : tx.tokens().list()) {
                if (t.active() && t.stacks().contains(name)) {
                    tx.tokens().revoke(t.id(), recorder.clock().instant());
                    revoked.add(t.name() + " (" + t.id() + ")");
                }
            }
            int backups = tx.backups().detachStack(name);
            tx.stacks().delete(name); // its bastion keys and quota go with it (foreign keys)
            return new Recorder.Change<>(null, "stack/" + name, name, "stack.delete", "operator tokens revoked: "
                    + (revoked.isEmpty() ? "none" : String.join(", ", revoked)) + "; bastion keys removed; " + backups
                    + " backup(s) kept for admins, outside any stack");
        });
    }

    static NotFoundException notFound(String name) {
        return new NotFoundException("stack '" + name + "' does not exist (see 'stratum stack list')");
    }
}

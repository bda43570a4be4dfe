package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.model.Stage;
import io.stratum.core.validation.ResourceNames;
import java.util.List;

/** Stages: the environments of a stack (dev, test, prod). Operators may manage stages of their stacks. */
public final class StageService {
    private final Recorder recorder;

    public StageService(Recorder recorder) {
        this.recorder = recorder;
    }

    public Stage create(Principal p, String stack, String name) {
        ResourceNames.require("stack", stack);
        ResourceNames.require("name", name);
        if (!p.canRead(stack)) throw StackService.notFound(stack);
        p.requireWrite(stack, "create stages");
        Stage stage = new Stage(stack, name, recorder.clock().instant());
        return recorder.record(p, tx -> {
            tx.stacks().find(stack).orElseThrow(() -> StackService.notFound(stack));
            if (!tx.stages().insert(stage)) {
                throw new ConflictException("already-exists", "stage '" + stage.address() + "' already exists");
            }
            return new Recorder.Change<>(stage, "stage/" + stage.address(), stack, "stage.create", null);
        });
    }

    public List<Stage> list(Principal p, String stack) {
        if (stack == null) {
            return recorder.store().read(tx -> tx.stages().listAll()).stream()
                    .filter(s -> p.canRead(s.stack())).toList();
        }
        ResourceNames.require("stack", stack);
        if (!p.canRead(stack)) throw StackService.notFound(stack);
        return recorder.store().read(tx -> {
            tx.stacks().find(stack).orElseThrow(() -> StackService.notFound(stack));
            return tx.stages().listByStack(stack);
        });
    }

    public Stage get(Principal p, String stack, String name) {
        ResourceNames.require("stack", stack);
        ResourceNames.require("stage", name);
        if (!p.canRead(stack)) throw notFound(stack, name);
        return recorder.store().read(tx -> tx.stages().find(stack, name))
                .orElseThrow(() -> notFound(stack, name));
    }

    public void delete(Principal p, String stack, String name) {
        ResourceNames.require("stack", stack);
        ResourceNames.require("stage", name);
        if (!p.canRead(stack)) throw notFound(stack, name);
        p.requireWrite(stack, "delete stages");
        recorder.record(p, tx -> {
            int instances = tx.instances().countByStage(stack, name)
                    + (int) tx.externals().list().stream().filter(e -> stack.equals(e.stack()) && name.equals(e.stage())).count();
            if (instances > 0) {
                throw new ConflictException("has-instances", "stage '" + stack + "/" + name + "' still has " + instances
                        + " instance(s): delete them first (see 'stratum db list')");
            }
            if (!tx.stages().delete(stack, name)) {
                throw notFound(stack, name);
            }
            return new Recorder.Change<>(null, "stage/" + stack + "/" + name, stack, "stage.delete", null);
        });
    }

    private static NotFoundException notFound(String stack, String name) {
        return new NotFoundException("stage '" + stack + "/" + name + "' does not exist (see 'stratum stage list')");
    }
}

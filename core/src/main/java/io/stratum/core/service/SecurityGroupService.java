package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.network.Cidr;
import io.stratum.core.network.Enforcement;
import io.stratum.core.network.SecurityGroup;
import io.stratum.core.reconcile.IngressChanges;
import io.stratum.core.validation.ResourceNames;
import java.util.List;

/**
 * Security groups as resources: named sets of ingress rules (CIDR, optional port). Changing them needs an admin token;
 * every change is an event with its actor, and rule changes reach the kernel table and the attached engines before the
 * call returns.
 */
public final class SecurityGroupService {
    private final Recorder recorder;
    private final IngressChanges ingress;

    public SecurityGroupService(Recorder recorder, IngressChanges ingress) {
        this.recorder = recorder;
        this.ingress = ingress;
    }

    /** What {@code sg check} shows: the group and, per attached instance the caller may read, each layer's rules. */
    public record Check(SecurityGroup group, Enforcement enforcement, String note, List<IngressChanges.InstanceCheck> instances) {}

    public SecurityGroup create(Principal p, String name, String description) {
        p.requireAdmin("creating security groups");
        ResourceNames.require("name", name);
        String desc = description == null ? "" : description;
        if (desc.length() > 255) throw ValidationException.of("description", "at most 255 characters");
        SecurityGroup g = new SecurityGroup(name, desc, List.of(), recorder.clock().instant());
        return recorder.record(p, tx -> {
            if (!tx.securityGroups().insert(g)) throw new ConflictException("already-exists", "security group '" + name + "' already exists");
            return new Recorder.Change<>(g, "security-group/" + name, null, "security-group.create", desc.isEmpty() ? null : desc);
        });
    }

    public List<SecurityGroup> list(Principal p) {
        return recorder.store().read(tx -> tx.securityGroups().list());
    }

    public SecurityGroup get(Principal p, String name) {
        ResourceNames.require("name", name);
        return recorder.store().read(tx -> tx.securityGroups().find(name)).orElseThrow(() -> notFound(name));
    }

    public void delete(Principal p, String name) {
        p.requireAdmin("deleting security groups");
        ResourceNames.require("name", name);
        recorder.record(p, tx -> {
            tx.securityGroups().find(name).orElseThrow(() -> notFound(name));
            List<String> attached = tx.instances().list().stream()
                    .filter(i -> i.spec().securityGroups().contains(name)).map(i -> i.name()).toList();
            if (!attached.isEmpty()) {
                throw new ConflictException("attached", "security group '" + name + "' is attached to " + String.join(", ", attached)
                        + ": detach it first with 'stratum db modify NAME --security-group ...'");
            }
            tx.securityGroups().delete(name);
            return new Recorder.Change<>(null, "security-group/" + name, null, "security-group.delete", null);
        });
    }

    public SecurityGroup authorize(Principal p, String name, String cidr, Integer port) {
        p.requireAdmin("changing security groups");
        SecurityGroup.Rule rule = rule(cidr, port);
        SecurityGroup changed = recorder.record(p, tx -> {
            tx.securityGroups().find(name).orElseThrow(() -> notFound(name));
            if (!tx.securityGroups().addRule(name, rule)) {
                throw new ConflictException("duplicate-rule", "security group '" + name + "' already allows " + rule);
            }
            return new Recorder.Change<>(tx.securityGroups().find(name).orElseThrow(), "security-group/" + name, null,
                    "security-group.authorize", rule.toString());
        });
        ingress.groupChanged(name);
        return changed;
    }

    public SecurityGroup revoke(Principal p, String name, String cidr, Integer port) {
        p.requireAdmin("changing security groups");
        SecurityGroup.Rule rule = rule(cidr, port);
        SecurityGroup changed = recorder.record(p, tx -> {
            tx.securityGroups().find(name).orElseThrow(() -> notFound(name));
            if (!tx.securityGroups().removeRule(name, rule)) {
                throw new NotFoundException("security group '" + name + "' has no rule " + rule + " (see 'stratum sg show " + name + "')");
            }
            return new Recorder.Change<>(tx.securityGroups().find(name).orElseThrow(), "security-group/" + name, null,
                    "security-group.revoke", rule.toString());
        });
        ingress.groupChanged(name);
        return changed;
    }

    public Check check(Principal p, String name) {
        SecurityGroup g = get(p, name);
        List<IngressChanges.InstanceCheck> instances = recorder.store().read(tx -> tx.instances().list()).stream()
                .filter(i -> i.spec().securityGroups().contains(name))
                .filter(i -> i.spec().stack() == null ? p.readsEverything() : p.canRead(i.spec().stack()))
                .map(ingress::check).toList();
        return new Check(g, ingress.enforcement(), ingress.enforcementNote(), instances);
    }

    private static SecurityGroup.Rule rule(String cidr, Integer port) {
        Cidr c = Cidr.parse("cidr", cidr);
        if (port != null && (port < 1 || port > 65535)) {
            throw ValidationException.of("port", port + " is out of range: use 1-65535, or omit it for the instance's own port");
        }
        return new SecurityGroup.Rule(c, port);
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("security group '" + name + "' does not exist (see 'stratum sg list')");
    }
}

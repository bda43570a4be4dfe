package io.stratum.engines.firewall;

import io.stratum.core.network.Enforcement;
import io.stratum.core.network.PortIngress;
import io.stratum.core.port.Firewall;
import java.util.List;
import java.util.Objects;

/**
 * The kernel layer on nftables: Stratum owns table {@code inet NAME} (default {@code stratum}) and never touches another.
 * Every change rewrites the whole table in one {@code nft -f} transaction; the listing after each write is kept so that
 * a flushed, deleted or edited table is detected and rebuilt.
 */
public final class NftablesFirewall implements Firewall {
    private final Nft nft;
    private final String table;
    private String written;

    private NftablesFirewall(Nft nft, String table) {
        this.nft = nft;
        this.table = table;
    }

    /**
     * The kernel layer when this process is root and {@code nft} works; otherwise the engine-only stand-in that says why.
     */
    public static Firewall detect(String nftCommand, String table) {
        if (!NftRuleset.TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("firewall table '" + table + "' is not a simple name (a-z, 0-9, _)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return new EngineOnlyFirewall("the control plane does not run as root, so it cannot manage nftables");
        }
        Nft nft = new Nft(nftCommand);
        try {
            nft.probe();
        } catch (RuntimeException e) {
            return new EngineOnlyFirewall("nft is not usable (" + e.getMessage() + "); install nftables with 'bin/stratum setup'");
        }
        return new NftablesFirewall(nft, table);
    }

    @Override
    public Enforcement enforcement() {
        return Enforcement.KERNEL_AND_ENGINE;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public synchronized void apply(List<PortIngress> rules) {
        nft.apply(NftRuleset.render(table, rules));
        String listing = nft.list("inet", table);
        // the table is listed just after it was written: a change in between (a flush) must not be taken for what was
        // written, or the periodic check would find that changed table intact for good; then nothing counts as written
        boolean complete = listing != null && rules.stream().allMatch(r -> listing.contains("dport " + r.port() + " drop"));
        written = complete ? listing : null;
    }

    @Override
    public synchronized boolean intact() {
        return written != null && Objects.equals(written, nft.list("inet", table));
    }

    @Override
    public List<String> rulesFor(int port) {
        String listing = nft.list("inet", table);
        if (listing == null) return List.of();
        String needle = "dport " + port + " ";
        return listing.lines().map(String::strip).filter(l -> l.contains(needle)).toList();
    }

    @Override
    public synchronized boolean removeLegacyTable(String legacy, java.util.Set<String> instances) {
        if (legacy.equals(table) || !NftRuleset.TABLE_NAME.matcher(legacy).matches()) return false;
        String listing = nft.list("inet", legacy);
        if (listing == null) return false;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("comment \"([^\"]*)\"").matcher(listing);
        boolean any = false;
        while (m.find()) {
            if (!instances.contains(m.group(1))) return false; // another home's rules: not ours to remove
            any = true;
        }
        if (!any) return false;
        nft.apply("delete table inet " + legacy + "\n");
        return true;
    }
}

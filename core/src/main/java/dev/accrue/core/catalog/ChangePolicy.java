package dev.accrue.core.catalog;

import java.util.Locale;

/**
 * How plan changes take effect. Upgrades: IMMEDIATE (prorated charge for the rest of the period) or
 * NEXT_PERIOD; the prorated charge is invoiced at once or on the next regular invoice. Downgrades take effect
 * at period end.
 */
public record ChangePolicy(UpgradeTiming upgrade, ProrationInvoicing upgradeInvoicing, DowngradeTiming downgrade) {
    public static final ChangePolicy DEFAULT = new ChangePolicy(UpgradeTiming.IMMEDIATE, ProrationInvoicing.IMMEDIATE, DowngradeTiming.END_OF_PERIOD);

    public ChangePolicy {
        upgrade = upgrade == null ? UpgradeTiming.IMMEDIATE : upgrade;
        upgradeInvoicing = upgradeInvoicing == null ? ProrationInvoicing.IMMEDIATE : upgradeInvoicing;
        downgrade = downgrade == null ? DowngradeTiming.END_OF_PERIOD : downgrade;
    }

    public enum UpgradeTiming { IMMEDIATE, NEXT_PERIOD }

    public enum ProrationInvoicing { IMMEDIATE, NEXT_INVOICE }

    public enum DowngradeTiming {
        END_OF_PERIOD;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

package org.telehall.catalog;

import java.util.Locale;
import org.telehall.shared.DataVolume;

/**
 * A plan, add-on pack or value-added service, with the allowance it includes and the price in
 * force. {@code category} is DATA/VOICE/ROAMING for packs, STANDARD/5G for plans, and the kind of
 * service (VIDEO, MUSIC, RINGBACK…) for services.
 */
public record Offering(String id, OfferingKind kind, String category,
                       String nameZh, String nameEn, String descriptionZh, String descriptionEn,
                       String conditionsZh, String conditionsEn,
                       boolean network5g, long dataMb, int voiceMinutes, int smsCount,
                       Integer validityDays, int trialDays, boolean dataRollover, String roamingZone,
                       boolean onSale, Price price) {

    public String name(Locale locale) {
        return isEnglish(locale) ? nameEn : nameZh;
    }

    public String description(Locale locale) {
        return isEnglish(locale) ? descriptionEn : descriptionZh;
    }

    public String conditions(Locale locale) {
        return isEnglish(locale) ? conditionsEn : conditionsZh;
    }

    /** A function of the line (roaming, long distance): free, switched on and off, not a subscription. */
    public boolean isLineFunction() {
        return kind == OfferingKind.SERVICE && "FEATURE".equals(category);
    }

    /** The one-off replacement of a lost or damaged SIM. */
    public boolean isSimReplacement() {
        return kind == OfferingKind.SERVICE && "SIM".equals(category);
    }

    /** A value-added service billed monthly: what the shop sells and one-click unsubscribe ends. */
    public boolean isSubscription() {
        return kind == OfferingKind.SERVICE && !isLineFunction() && !isSimReplacement();
    }

    public DataVolume data() {
        return DataVolume.ofMb(dataMb);
    }

    private static boolean isEnglish(Locale locale) {
        return locale != null && "en".equals(locale.getLanguage());
    }
}

package org.telehall.demo;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The demo operator's catalogue: 5G plans, an elderly plan, data/voice/roaming packs, services. */
@Component
class DemoCatalog {

    static final String PLAN_58 = "plan-5g-58";
    static final String PLAN_128 = "plan-5g-128";
    static final String PLAN_198 = "plan-5g-198";
    static final String PLAN_ELDER = "plan-elder-18";
    static final String PACK_DATA_MONTH = "pack-data-20g-30d";
    static final String PACK_DATA_DAY = "pack-data-2g-1d";
    static final String PACK_DATA_BOOST = "pack-data-5g-month";
    static final String PACK_VOICE = "pack-voice-100";
    static final String PACK_ROAM_ASIA = "pack-roam-asia-day";
    static final String PACK_ROAM_WORLD = "pack-roam-world-day";
    static final String VAS_VIDEO = "vas-video";
    static final String VAS_MUSIC = "vas-music";
    static final String VAS_RINGBACK = "vas-ringback";
    static final String VAS_CLOUD = "vas-cloud";
    static final String VAS_CALLER = "vas-missed-call";
    static final String FEATURE_ROAMING = "feature-intl-roaming";
    static final String FEATURE_LONG_DISTANCE = "feature-long-distance";
    static final String SIM_REPLACEMENT = "svc-sim-replacement";

    private final JdbcClient jdbc;

    DemoCatalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void seed() {
        Timestamp from = Timestamp.from(Instant.now().minus(400, ChronoUnit.DAYS));
        plan(PLAN_58, "5G畅享套餐 58元", "5G Essential 58", 30 * 1024, 300, 100, false, 10, from, 5800);
        plan(PLAN_128, "5G畅享套餐 128元", "5G Plus 128", 60 * 1024, 800, 200, true, 20, from, 12800);
        plan(PLAN_198, "5G畅享套餐 198元", "5G Max 198", 100 * 1024, 1500, 300, true, 30, from, 19800);
        offering(PLAN_ELDER, "PLAN", "STANDARD", "长辈关爱套餐 18元", "Senior Care 18",
                "含 5GB 国内流量、300 分钟国内通话、100 条短信；来电显示免费。",
                "5 GB domestic data, 300 minutes of domestic calls, 100 SMS; caller ID free.",
                "限 60 周岁及以上用户办理。按月收取，次月生效可退订。",
                "For subscribers aged 60 and over. Charged monthly; can be cancelled from next month.",
                false, 5 * 1024, 300, 100, null, 0, false, null, 5);
        price(PLAN_ELDER, from, 1800, 0, 1, 15, 10);

        pack(PACK_DATA_DAY, "DATA", "流量日包 2GB", "Data day pass 2 GB", 2 * 1024, 0, 1, null, 500, 40);
        pack(PACK_DATA_BOOST, "DATA", "流量加油包 5GB", "Data booster 5 GB", 5 * 1024, 0, 30, null, 2000, 41);
        pack(PACK_DATA_MONTH, "DATA", "流量月包 20GB", "Data month pack 20 GB", 20 * 1024, 0, 30, null, 3000, 42);
        pack(PACK_VOICE, "VOICE", "语音包 100分钟", "Voice pack 100 min", 0, 100, 30, null, 1000, 43);
        pack(PACK_ROAM_ASIA, "ROAMING", "亚洲漫游日包 1GB", "Asia roaming day pass 1 GB", 1024, 0, 1, "ASIA", 2500, 44);
        pack(PACK_ROAM_WORLD, "ROAMING", "全球漫游日包 1GB", "World roaming day pass 1 GB", 1024, 0, 1, "WORLD", 6800, 45);

        service(VAS_VIDEO, "VIDEO", "视频会员", "Video membership", "热门影视剧、体育赛事高清观看，定向流量免费。",
                "Films, series and sports in HD; their data is free.", 7, 1500, 60);
        service(VAS_MUSIC, "MUSIC", "音乐会员", "Music membership", "千万曲库无损音质，离线下载。",
                "Millions of songs in lossless quality, offline downloads.", 7, 1000, 61);
        service(VAS_RINGBACK, "RINGBACK", "视频彩铃", "Video ringback tone", "来电时为对方播放您选择的视频彩铃。",
                "Callers see and hear the ringback video you chose.", 0, 500, 62);
        service(VAS_CLOUD, "CLOUD", "云盘 100GB", "Cloud drive 100 GB", "照片、通讯录自动备份，100GB 空间。",
                "Automatic backup of photos and contacts, 100 GB.", 0, 600, 63);
        // line functions: free, switched on and off through the same confirmed orders
        offering(FEATURE_ROAMING, "SERVICE", "FEATURE", "国际及港澳台漫游", "International roaming",
                "开通后可在境外使用本号码通话、上网；资费按漫游地区计收，见漫游日包。",
                "Use this number abroad for calls and data; charged by roaming zone (see the roaming day passes).",
                "功能费免费，随时开通或关闭，即时生效。", "No fee; switch on or off any time, effective at once.",
                false, 0, 0, 0, null, 0, false, null, 70);
        price(FEATURE_ROAMING, Timestamp.from(Instant.now().minus(400, ChronoUnit.DAYS)), 0, 0, 0, 0, 0);
        offering(FEATURE_LONG_DISTANCE, "SERVICE", "FEATURE", "国内长途", "Domestic long distance",
                "拨打外地固定电话和手机；国内通话已不分本地长途，按套餐计费。",
                "Calls to landlines and mobiles in other provinces; charged as plan minutes.",
                "功能费免费，随时开通或关闭，即时生效。", "No fee; switch on or off any time, effective at once.",
                false, 0, 0, 0, null, 0, false, null, 71);
        price(FEATURE_LONG_DISTANCE, Timestamp.from(Instant.now().minus(400, ChronoUnit.DAYS)), 0, 0, 0, 0, 0);
        offering(SIM_REPLACEMENT, "SERVICE", "SIM", "补换 SIM 卡", "SIM replacement",
                "SIM 卡丢失或损坏时补换新卡，号码、套餐和余额不变；新卡激活时旧卡立即停用。",
                "A new SIM when yours is lost or damaged; number, plan and balance stay. The old SIM stops when the new one activates.",
                "工本费 10 元，一次性收取。", "Card fee ¥10, charged once.",
                false, 0, 0, 0, null, 0, false, null, 72);
        price(SIM_REPLACEMENT, Timestamp.from(Instant.now().minus(400, ChronoUnit.DAYS)), 0, 1000, 0, 0, 0);
        service(VAS_CALLER, "CALLER", "来电提醒", "Missed-call alerts", "关机或无信号时的来电，开机后短信提醒。",
                "Calls missed while your phone was off are sent to you by SMS.", 0, 300, 64);
    }

    private void plan(String id, String zh, String en, long dataMb, int minutes, int sms, boolean rollover, int order,
                      Timestamp from, long feeFen) {
        offering(id, "PLAN", "5G", zh, en,
                "含 " + dataMb / 1024 + "GB 国内通用流量、" + minutes + " 分钟国内通话、" + sms + " 条短信" + (rollover ? "；当月剩余流量可结转至次月。" : "。"),
                dataMb / 1024 + " GB domestic data, " + minutes + " minutes of domestic calls, " + sms + " SMS" + (rollover ? "; unused data carries over to next month." : "."),
                "按月收取，升级即时生效（按剩余天数折算），降级次月生效。超出后：流量 0.01 元/MB，通话 0.15 元/分钟，短信 0.10 元/条。",
                "Charged monthly. Upgrades take effect now (pro-rated), downgrades next month. Beyond the allowance: data ¥0.01/MB, calls ¥0.15/min, SMS ¥0.10 each.",
                true, dataMb, minutes, sms, null, 0, rollover, null, order);
        price(id, from, feeFen, 0, 1, 15, 10);
    }

    private void pack(String id, String category, String zh, String en, long dataMb, int minutes, int days, String zone,
                      long feeFen, int order) {
        String validityZh = days == 1 ? "自订购起 24 小时内有效" : "自订购起 " + days + " 天内有效";
        String validityEn = days == 1 ? "valid for 24 hours from purchase" : "valid for " + days + " days from purchase";
        String zoneZh = zone == null ? "" : ("ASIA".equals(zone) ? "适用于中国港澳台、日本、韩国、新加坡、泰国。" : "适用于全球 200 余个国家和地区。");
        String zoneEn = zone == null ? "" : ("ASIA".equals(zone) ? "For Hong Kong, Macao, Taiwan, Japan, Korea, Singapore, Thailand." : "For 200+ countries and regions.");
        offering(id, "PACK", category, zh, en,
                (dataMb > 0 ? dataMb / 1024 + "GB 流量" : minutes + " 分钟通话") + "，" + validityZh + "。" + zoneZh,
                (dataMb > 0 ? dataMb / 1024 + " GB data" : minutes + " minutes of calls") + ", " + validityEn + ". " + zoneEn,
                "一次性收费，到期自动失效，不自动续订。", "One-off charge; ends by itself, never renews automatically.",
                false, dataMb, minutes, 0, days, 0, false, zone, order);
        price(id, Timestamp.from(Instant.now().minus(400, ChronoUnit.DAYS)), 0, feeFen, 0, 0, 0);
    }

    private void service(String id, String category, String zh, String en, String descZh, String descEn, int trialDays,
                         long monthlyFen, int order) {
        offering(id, "SERVICE", category, zh, en, descZh, descEn,
                trialDays > 0 ? "首次订购免费试用 " + trialDays + " 天，到期前 3 天短信提醒，试用期满未续订自动结束、不收费；续订后按月收取，可随时退订，即时生效。"
                        : "按月收取；可随时退订，即时生效，不再收取后续月费。",
                trialDays > 0 ? "First " + trialDays + " days free, with an SMS 3 days before the end; the trial ends by itself, free, unless you renew. Then charged monthly; cancel any time, effective at once."
                        : "Charged monthly; cancel any time, effective at once, no further monthly fees.",
                false, 0, 0, 0, null, trialDays, false, null, order);
        price(id, Timestamp.from(Instant.now().minus(400, ChronoUnit.DAYS)), monthlyFen, 0, 0, 0, 0);
    }

    private void offering(String id, String kind, String category, String zh, String en, String descZh, String descEn,
                          String condZh, String condEn, boolean is5g, long dataMb, int minutes, int sms, Integer days,
                          int trialDays, boolean rollover, String zone, int order) {
        jdbc.sql("""
                insert into catalog_offering (id, kind, category, name_zh, name_en, description_zh, description_en,
                  conditions_zh, conditions_en, network_5g, data_mb, voice_min, sms_count, validity_days, trial_days,
                  data_rollover, roaming_zone, sort_order)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(id, kind, category, zh, en, descZh, descEn, condZh, condEn, is5g, dataMb, minutes, sms, days,
                trialDays, rollover, zone, order).update();
    }

    private void price(String id, Timestamp from, long recurringFen, long oneTimeFen, int dataFenPerMb, int voiceFenPerMin, int smsFen) {
        jdbc.sql("""
                insert into catalog_price (offering_id, version, recurring_fee_fen, one_time_fee_fen, data_overage_fen_per_mb,
                  voice_overage_fen_per_min, sms_overage_fen, roaming_data_fen_per_mb, roaming_voice_fen_per_min, valid_from)
                values (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(id, recurringFen, oneTimeFen, dataFenPerMb, voiceFenPerMin, smsFen,
                dataFenPerMb == 0 ? 0 : 300, voiceFenPerMin == 0 ? 0 : 199, from).update();
    }
}

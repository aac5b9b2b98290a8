package org.telehall.usage.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telehall.usage.UsageSubmission;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The streaming reader of usage batches: every way a TMF635 usage object may carry its fields. */
class UsageBatchReaderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static List<UsageSubmission> read(String body, int limit) {
        try (var parser = JSON.createParser(body.replace('\'', '"'))) {
            return UsageBatchReader.read(parser, limit);
        }
    }

    @Test
    void reads_the_fields_whatever_their_order_and_skips_what_it_does_not_know() {
        List<UsageSubmission> batch = read("""
                [{'usageCharacteristic':[{'value':'13800138000','name':'msisdn'},
                                         {'name':'quantity','value':{'units':'MB','amount':1.5,'extra':[1,{'a':2}]}},
                                         {'name':'roamingCountry','value':'JP'},{'name':'otherParty','value':'13912345678'},
                                         {'name':'direction','value':'IN'},{'name':'unknown','value':{'deep':[1,2,3]}}],
                  'note':{'nested':['x',{'y':null}]},'usageType':'data','usageDate':'2026-11-20T08:15:00+08:00','id':'a1'}]
                """, 10);
        assertThat(batch).containsExactly(new UsageSubmission("a1", "13800138000", "data", "IN", "2026-11-20T08:15:00+08:00",
                "13912345678", new BigDecimal("1.5"), "MB", "JP"));
    }

    @Test
    void takes_amounts_as_numbers_or_text_and_names_their_units() {
        List<UsageSubmission> batch = read("""
                [{'id':'v','usageType':'voice','usageCharacteristic':[{'name':'msisdn','value':13800138000},{'name':'durationSeconds','value':'61'}]},
                 {'id':'d','usageType':'data','usageCharacteristic':[{'name':'volumeKB','value':2048}]},
                 {'id':'s','usageType':'sms','usageCharacteristic':[{'name':'messages','value':2}]},
                 {'id':'q','usageType':'data','usageCharacteristic':[{'name':'quantity','value':'7'},{'name':'unit','value':'GB'}]},
                 {'id':'bad','usageType':'data','usageCharacteristic':[{'name':'quantity','value':'lots'}]}]
                """, 10);
        assertThat(batch).extracting(UsageSubmission::quantity, UsageSubmission::unit).containsExactly(
                org.assertj.core.groups.Tuple.tuple(new BigDecimal("61"), "S"),
                org.assertj.core.groups.Tuple.tuple(new BigDecimal("2048"), "KB"),
                org.assertj.core.groups.Tuple.tuple(new BigDecimal("2"), null),
                org.assertj.core.groups.Tuple.tuple(new BigDecimal("7"), "GB"),
                org.assertj.core.groups.Tuple.tuple(null, null));
        assertThat(batch.get(0).msisdn()).isEqualTo("13800138000");
    }

    @Test
    void the_line_may_be_a_related_party_and_the_id_a_network_id_characteristic() {
        List<UsageSubmission> batch = read("""
                [{'usageType':'sms','relatedParty':[{'id':'x','role':'customer'},{'role':'Line','id':'13800138000'}],
                  'usageCharacteristic':[{'name':'networkId','value':'n-1'},{'name':'networkId','value':'n-2'}]},
                 {'id':'top','usageType':'sms','relatedParty':[{'id':'13900139000','role':'subscriber'}],
                  'usageCharacteristic':[{'name':'networkId','value':'n-3'},{'name':'msisdn','value':'13800138000'}]}]
                """, 10);
        assertThat(batch.get(0).networkId()).isEqualTo("n-1");
        assertThat(batch.get(0).msisdn()).isEqualTo("13800138000");
        assertThat(batch.get(1).networkId()).as("the object's own id comes first").isEqualTo("top");
        assertThat(batch.get(1).msisdn()).as("an msisdn characteristic comes before a related party").isEqualTo("13800138000");
    }

    @Test
    void an_element_that_is_not_an_object_or_a_null_field_is_a_record_without_id_or_value() {
        List<UsageSubmission> batch = read("""
                ['text', 5, [1, 2], {'id':null,'usageType':'data','usageCharacteristic':[{'name':'msisdn','value':'1'},{'name':'msisdn','value':null}]}]
                """, 10);
        assertThat(batch).hasSize(4);
        assertThat(batch.subList(0, 3)).allSatisfy(s -> assertThat(s).isEqualTo(new UsageSubmission(null, null, null, null, null, null, null, null, null)));
        assertThat(batch.get(3).networkId()).isNull();
        assertThat(batch.get(3).msisdn()).isNull();
    }

    @Test
    void a_body_that_is_not_an_array_too_long_or_broken_is_refused() {
        assertThatThrownBy(() -> read("{'id':'x'}", 10)).isInstanceOf(UsageBatchReader.NotABatch.class);
        assertThatThrownBy(() -> read("[{'id':'1'},{'id':'2'},{'id':'3','x':[1,{}]},{}]", 2))
                .isInstanceOfSatisfying(UsageBatchReader.TooLarge.class, e -> assertThat(e.size).isEqualTo(4));
        assertThatThrownBy(() -> read("[{'id':'1'", 10)).isInstanceOf(JacksonException.class);
        assertThat(read("[]", 10)).isEmpty();
    }
}

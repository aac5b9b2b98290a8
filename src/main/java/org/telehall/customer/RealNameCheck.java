package org.telehall.customer;

import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.shared.BusinessRuleException;

/**
 * The real-name check before a new line: the ID number is well formed, the name and number are the
 * customer's own (as verified when they became a customer), and the person (the same ID number
 * across every customer record) holds fewer than {@link RealName#MAX_LINES_PER_PERSON} lines.
 */
@Service
public class RealNameCheck {

    /** OK, or why not, as a message key ({@code realname.bad-id}, {@code realname.mismatch}, {@code realname.too-many-lines}). */
    public record Result(String code) {

        public static final Result OK = new Result("ok");
        public static final Result BAD_ID = new Result("realname.bad-id");
        public static final Result MISMATCH = new Result("realname.mismatch");
        public static final Result TOO_MANY_LINES = new Result("realname.too-many-lines");

        public boolean ok() {
            return this.equals(OK);
        }

        /** Throws the refusal as a business rule broken; nothing for OK. */
        public void orThrow() {
            if (!ok()) {
                throw new BusinessRuleException(code, "real-name check refused: " + code, RealName.MAX_LINES_PER_PERSON);
            }
        }
    }

    private record OnFile(String name, String digest) {
    }

    private final JdbcClient jdbc;
    private final IdNumberCipher cipher;

    RealNameCheck(JdbcClient jdbc, IdNumberCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /**
     * Checks, changing nothing. A customer with no ID number on file yet must still give their own
     * name; their ID number is recorded by {@link #record} when the line is opened.
     *
     * @throws org.telehall.shared.NotFoundException when there is no such customer
     */
    public Result check(long customerId, String name, String idNumber) {
        if (!RealName.validIdNumber(idNumber)) {
            return Result.BAD_ID;
        }
        OnFile onFile = onFile(customerId, false);
        String digest = cipher.digest(idNumber);
        if (!sameName(onFile.name(), name) || (onFile.digest() != null && !onFile.digest().equals(digest))) {
            return Result.MISMATCH;
        }
        return linesWithDigest(jdbc, digest) >= RealName.MAX_LINES_PER_PERSON ? Result.TOO_MANY_LINES : Result.OK;
    }

    /**
     * The lines (active or suspended; stopped ones no longer count) held by the person with this ID
     * number, over all their customer records.
     */
    public int linesHeldBy(String idNumber) {
        return linesWithDigest(jdbc, cipher.digest(idNumber));
    }

    /**
     * Checks as {@link #check}, then puts the ID number on file (encrypted, masked, digested) for a
     * customer who had none, marking them real-name verified. For a customer with the same number on
     * file already it changes nothing. Call it in the same transaction as
     * {@link NumberPool#activate}, which refuses customers without a verified ID number.
     */
    @Transactional
    public Result record(long customerId, String name, String idNumber) {
        onFile(customerId, true);
        Result result = check(customerId, name, idNumber);
        if (!result.ok()) {
            return result;
        }
        String normalized = IdNumberCipher.normalize(idNumber);
        jdbc.sql("""
                update customer set id_number_cipher = ?, id_number_masked = ?, id_number_digest = ?, real_name_verified = true
                where id = ? and id_number_digest is null
                """).params(cipher.encrypt(normalized), IdNumberCipher.mask(normalized), cipher.digest(normalized), customerId)
                .update();
        return result;
    }

    /**
     * Gives every customer whose ID number is on file encrypted but not yet digested (rows written
     * before digests existed) its digest; answers how many.
     */
    @Transactional
    public int digestMissing() {
        var rows = jdbc.sql("select id, id_number_cipher from customer where id_number_digest is null and id_number_cipher is not null")
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).list();
        for (Object[] row : rows) {
            jdbc.sql("update customer set id_number_digest = ? where id = ?")
                    .params(cipher.digest(cipher.decrypt((String) row[1])), row[0]).update();
        }
        return rows.size();
    }

    private OnFile onFile(long customerId, boolean lock) {
        return jdbc.sql("select name, id_number_digest from customer where id = ?" + (lock ? " for no key update" : ""))
                .param(customerId).query((rs, n) -> new OnFile(rs.getString(1), rs.getString(2))).optional()
                .orElseThrow(() -> new org.telehall.shared.NotFoundException("no customer " + customerId));
    }

    private static boolean sameName(String onFile, String given) {
        return given != null && squeeze(onFile).equals(squeeze(given));
    }

    /** Names compared without spaces (全角 too) and case: "Zhang Wei" is "zhangwei". */
    private static String squeeze(String name) {
        return name.replaceAll("[\\s\\u3000·•.]", "").toLowerCase(Locale.ROOT);
    }

    /** Serialises line openings per person for the rest of the transaction. */
    static void lockPerson(JdbcClient jdbc, String digest) {
        jdbc.sql("select count(*) from (select pg_advisory_xact_lock(hashtextextended(?, 6))) locked").param(digest)
                .query(Integer.class).single();
    }

    static int linesWithDigest(JdbcClient jdbc, String digest) {
        return jdbc.sql("""
                select count(*) from line l join customer c on c.id = l.customer_id
                where c.id_number_digest = ? and l.status <> 'STOPPED'
                """).param(digest).query(Integer.class).single();
    }
}

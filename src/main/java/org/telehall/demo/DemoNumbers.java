package org.telehall.demo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.telehall.customer.NumberPool;
import org.telehall.shared.Msisdn;

/**
 * The demo operator's pool of numbers for new lines: about a thousand random numbers in each of three
 * blocks no demo subscriber uses (the named ones are 138…/139…, the generated ones 147…, tests'
 * 170…), plus the lucky tails an operator keeps back to sell (runs of one digit, straights, 1314,
 * 520, 168), so that a few percent of the pool is lucky as in a real one. The pool prices them.
 */
@Component
class DemoNumbers {

    static final List<String> BLOCKS = List.of("1880188", "1590159", "1980198");
    static final int RANDOM_PER_BLOCK = 1000;
    private static final List<String> LUCKY_TAILS = List.of(
            "0000", "1111", "2222", "3333", "4444", "5555", "6666", "7777", "8888", "9999",
            "0123", "1234", "2345", "3456", "4567", "5678", "6789", "9876", "8765", "5432",
            "1314", "0520", "1520", "2520", "0168", "1168", "1888", "2666", "3888", "6688", "1212");

    private final NumberPool pool;

    DemoNumbers(NumberPool pool) {
        this.pool = pool;
    }

    /** Stocks the pool when it has never held a number; answers how many went in. */
    int seedIfEmpty(long seed) {
        if (pool.size() > 0) {
            return 0;
        }
        return pool.stock(numbers(new Random(seed)));
    }

    static List<Msisdn> numbers(Random random) {
        Set<String> numbers = new LinkedHashSet<>();
        for (String block : BLOCKS) {
            LUCKY_TAILS.forEach(tail -> numbers.add(block + tail));
            int target = numbers.size() + RANDOM_PER_BLOCK;
            while (numbers.size() < target) {
                numbers.add(block + String.format("%04d", random.nextInt(10_000)));
            }
        }
        List<Msisdn> result = new ArrayList<>(numbers.size());
        numbers.forEach(n -> result.add(new Msisdn(n)));
        return result;
    }
}

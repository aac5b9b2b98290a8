package org.telehall.customer.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.customer.NumberHold;
import org.telehall.customer.NumberPool;
import org.telehall.customer.PoolNumber;
import org.telehall.identity.HallUser;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;

/**
 * The number pool for API clients: find a free number for a new line and hold it for 15 minutes;
 * the new line itself is then a TMF622 productOrder naming the number.
 */
@RestController
@RequestMapping("/api/v1/numbers")
@Tag(name = "numbers", description = "Free numbers for new lines, and the caller's 15-minute hold")
class NumberApiController {

    record NumberView(String msisdn, boolean lucky, Tmf.Amount price, String pattern) {
        static NumberView of(PoolNumber n) {
            return new NumberView(n.msisdn().value(), n.lucky(), Tmf.Amount.of(n.price()), n.pattern());
        }
    }

    record HoldView(String msisdn, Instant heldUntil) {
        static HoldView of(NumberHold h) {
            return new HoldView(h.msisdn().value(), h.until());
        }
    }

    private final NumberPool pool;
    private final Clock clock;

    NumberApiController(NumberPool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "Free numbers containing the digits (those ending in them first); lucky=true for priced lucky numbers only")
    ResponseEntity<List<NumberView>> search(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String digits,
                                            @RequestParam(defaultValue = "false") boolean lucky,
                                            @RequestParam(required = false) Integer offset, @RequestParam(required = false) Integer limit) {
        me.requireCustomerId();
        TmfList.Window window = TmfList.window(offset, limit == null ? 20 : Math.min(limit, NumberPool.MAX_PAGE));
        List<NumberView> page = pool.search(digits, lucky, window.offset(), window.limit()).stream().map(NumberView::of).toList();
        return TmfList.of(page, pool.countFree(digits, lucky));
    }

    @GetMapping("/hold")
    @Operation(summary = "The number the caller holds now; 404 when none")
    HoldView myHold(@AuthenticationPrincipal HallUser me) {
        return pool.holdOf(me.requireCustomerId(), clock.instant()).map(HoldView::of)
                .orElseThrow(() -> new NotFoundException("you hold no number"));
    }

    @PostMapping("/{msisdn}/hold")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Hold a free number for 15 minutes (again: extends it); any other hold of the caller's is released. 422 number.taken")
    HoldView hold(@AuthenticationPrincipal HallUser me, @PathVariable String msisdn) {
        return HoldView.of(pool.hold(me.requireCustomerId(), new Msisdn(msisdn), clock.instant()));
    }

    @DeleteMapping("/{msisdn}/hold")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Give the caller's hold on the number back to the pool")
    void release(@AuthenticationPrincipal HallUser me, @PathVariable String msisdn) {
        pool.release(me.requireCustomerId(), new Msisdn(msisdn));
    }
}

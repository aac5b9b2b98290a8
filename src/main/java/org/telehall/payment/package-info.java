/**
 * Money in: payment orders for top-ups (and bills), paid at a provider (Alipay-, WeChat Pay- and
 * UnionPay-style, each behind {@link org.telehall.payment.PaymentProvider}; simulators in the demo and
 * the tests), credited to the ledger exactly once from the provider's signed notification, an order
 * query after a timeout, or reconciliation; receipts, history and the payment timeline.
 */
package org.telehall.payment;

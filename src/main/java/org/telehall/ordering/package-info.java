/**
 * Business orders (TMF622): buy a pack, subscribe or unsubscribe services. Every order takes the same
 * path — quote, SMS second confirmation (二次确认), eligibility, fee through the ledger, network
 * provisioning with retries (refund on final failure), completion message — and each step is a
 * timeline entry the customer follows like a parcel.
 */
package org.telehall.ordering;

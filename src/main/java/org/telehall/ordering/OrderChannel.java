package org.telehall.ordering;

/** Where an order was placed: the web hall, the API, or a store counter by an agent. */
public enum OrderChannel {
    WEB, API, STORE
}

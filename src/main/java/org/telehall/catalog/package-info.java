/** What the operator sells: plans, add-on packs and value-added services, with versioned prices. */
package org.telehall.catalog;

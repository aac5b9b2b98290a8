/** Product inventory (TMF637): what each line holds — its plan, add-on packs and value-added services. */
package org.telehall.inventory;

/** Usage: allowance buckets per line and cycle, and the rated usage records (详单). */
package org.telehall.usage;

/**
 * The web shell every page shares: layout and navigation, language (zh-CN first, English), elderly
 * mode, the home page and settings. Each module keeps its own pages; this one composes the home page.
 */
package org.telehall.hall;

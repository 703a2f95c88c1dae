/**
 * The tablet store: the storage core of a storage node, without Thrift or network.
 *
 * <p>A tablet lives in {@code data/<tabletId>/<schemaHash>/}: a JSON header ({@code <tabletId>.hdr}, the commit
 * point of every change) and immutable rowset files ({@code <rowsetId>_0.dat}, Avro object container files).
 * Loads write a pending rowset per transaction ({@code pending/<txnId>/}) that a publish turns into the
 * rowset {@code [v-v]}; compaction merges adjacent rowsets into {@code [a-b]}; a snapshot hard-links the rowsets
 * covering {@code [0-v]} into {@code snapshot/<yyyyMMddHHmmss>.<seq>.<timeout>/<tabletId>/<schemaHash>/}.
 * Every write goes to a temporary name, is fsynced and renamed, so a crash leaves the old or the new state.
 * {@link io.snapbus.node.tablet.TabletStore} is the entry point; failures are
 * {@link io.snapbus.node.tablet.StoreException}s carrying Doris's status code.
 */
package io.snapbus.node.tablet;

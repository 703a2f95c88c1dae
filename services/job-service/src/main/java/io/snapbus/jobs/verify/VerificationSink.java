package io.snapbus.jobs.verify;

/** Where a {@link SnapshotVerifier} reports what it planned, checked and found, as it goes. */
interface VerificationSink {

    /** The job info was read: this many files and tablets are to be checked. */
    void planned(String dbName, long files, long tablets);

    void problem(Problem problem);

    /** One named file was checked ({@code bytesRead}: what was read of it, 0 when it was not read). */
    void fileChecked(long bytesRead);

    /** One tablet's rows were read back ({@code rows} of them). */
    void tabletChecked(long rows);
}

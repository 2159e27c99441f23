"""netdns-audit as the map step of a Spark job, through RDD.pipe.

    spark-submit --master yarn --archives netdns-fleet.tgz#fleet \
        Scripts/fleet/spark_netdns_audit.py PATHS_FILE OUTPUT_DIR [PARTITIONS]

PATHS_FILE lists the logs to read, one path per line (hdfs://, s3a://...). Each partition of
paths is piped through fleet/map.sh (one JSON report per line), then all reports through
fleet/reduce.sh in a single partition: OUTPUT_DIR/part-00000 holds the merged report on one
line. netdns-fleet.tgz holds netdns-audit, map.sh and reduce.sh (README, "Fleets").
"""
import os
import sys

from pyspark import SparkContext


def main(paths_file, output_dir, partitions):
    sc = SparkContext(appName="netdns-audit")
    # RDD.pipe runs the command with exactly this environment: keep PATH and the Hadoop
    # settings (map.sh fetches with `hadoop fs -get`), and point the scripts at the binary.
    env = dict(os.environ, NETDNS_AUDIT="fleet/netdns-audit")
    reports = sc.textFile(paths_file).repartition(partitions).pipe("sh fleet/map.sh", env=env, checkCode=True)
    merged = reports.coalesce(1).pipe("sh fleet/reduce.sh", env=env, checkCode=True)
    merged.saveAsTextFile(output_dir)
    sc.stop()


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: spark_netdns_audit.py PATHS_FILE OUTPUT_DIR [PARTITIONS]")
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 64)

#!/usr/bin/env python3
"""Bar chart of messages/s per scenario per broker from the harness's CSV (--csv): one panel per QoS.

Usage: python3 chart.py RESULTS.csv OUT.png [TITLE]   (needs matplotlib: apt-get install -y python3-matplotlib)
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")  # no display on a build machine
import matplotlib.pyplot as plt


def main():
    src, out = sys.argv[1], sys.argv[2]
    title = sys.argv[3] if len(sys.argv) > 3 else "Messages/s per scenario"
    rows = list(csv.DictReader(open(src)))
    brokers = list(dict.fromkeys(r["broker"] for r in rows))
    rate = {(r["scenario"], r["broker"]): float(r["msgs_per_s"]) for r in rows}
    failed = {(r["scenario"], r["broker"]) for r in rows if r["error"] or int(r["received"]) < int(r["expected"])}
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    qos_levels = sorted({s.split(" ")[2] for s in scenarios})
    colors = {"ours": "#d62728", "mosquitto": "#1f77b4", "MQTTnet": "#7f7f7f"}

    fig, axes = plt.subplots(len(qos_levels), 1, figsize=(11, 3.6 * len(qos_levels)), squeeze=False)
    width = 0.8 / len(brokers)
    for ax, q in zip(axes[:, 0], qos_levels):
        names = [s for s in scenarios if s.split(" ")[2] == q]
        for i, b in enumerate(brokers):
            xs = [k + (i - (len(brokers) - 1) / 2) * width for k in range(len(names))]
            ys = [rate.get((s, b), 0) / 1000 for s in names]
            bars = ax.bar(xs, ys, width, label=b, color=colors.get(b))
            for bar, y in zip(bars, ys):
                ax.annotate(("%.0f" % y) if y >= 10 else ("%.1f" % y), (bar.get_x() + bar.get_width() / 2, y), ha="center", va="bottom", fontsize=6)
            for bar, s in zip(bars, names):
                # A run that lost messages or failed is marked, so a tall bar never hides a wrong result.
                if (s, b) in failed:
                    ax.annotate("lost", (bar.get_x() + bar.get_width() / 2, bar.get_height() * 1.6), ha="center", va="bottom", fontsize=6, color="red")
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels([" ".join(s.split(" ")[:2]) + " " + s.split(" ")[3] for s in names], fontsize=9)
        # Log scale: the brokers differ by up to 30x, and a linear axis hides the small bars' differences.
        ax.set_yscale("log")
        ax.set_ylabel("thousand msgs/s (log)")
        ax.set_title("QoS " + q[1:], fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=8, loc="upper right")
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The summary figures of docs/auto.md from the runs of docs/auto-evidence.sh (OUT_DIR/*.json):
how often the choice is the best candidate, regret, auto against asr at lambda 0.25, the worst
shortfall of each fixed candidate, and the choices. Usage: python3 docs/auto-stats.py OUT_DIR"""
import json, glob, os, sys, collections
d = sys.argv[1]
rows = []
for f in sorted(glob.glob(d + '/*.json')):
    if f.endswith('.report.json'): continue
    j = json.load(open(f)); j['name'] = os.path.basename(f)[:-5]; rows.append(j)
def lbl(c): return c['method'] if c['method'] != 'asr' else 'asr %g' % c['lambda']
n = len(rows); print('rows', n)
regrets = [r['regret'] * 100 for r in rows]
print('regret <= 0.05 points:', sum(x <= 0.05 for x in regrets), 'worst', max(regrets), 'mean %.3f' % (sum(regrets) / n))
for r in rows:
    if r['regret'] * 100 > 0.05: print('  miss', r['name'], lbl(r['chosen']), r['top1'], r['regret'] * 100)
better = worse = equal = 0; diffs = []
for r in rows:
    a = [c for c in r['candidates'] if c['method'] == 'asr' and c['lambda'] == 0.25][0]['top1']
    dlt = (r['top1'] - a) * 100; diffs.append(dlt)
    if dlt > 0.05: better += 1
    elif dlt < -0.05: worse += 1; print('  worse than asr0.25', r['name'], dlt)
    else: equal += 1
print('vs asr0.25: better', better, 'equal', equal, 'worse', worse, 'max gain %.2f' % max(diffs), 'mean %.3f' % (sum(diffs) / n))
short = collections.defaultdict(float)
for r in rows:
    best = max(c['top1'] for c in r['candidates'] if c.get('top1') is not None)
    for c in r['candidates']:
        short[lbl(c)] = max(short[lbl(c)], (best - c['top1']) * 100)
print('fixed worst shortfall:', ', '.join('%s %.1f' % kv for kv in sorted(short.items(), key=lambda kv: kv[1])))
print('choices:', collections.Counter(lbl(r['chosen']) for r in rows))
print('choices by method:', collections.Counter(r['chosen']['method'] for r in rows))

// Draws a gafail report's timeline with ECharts from the data the page carries (no network needed):
// what users saw per interval (answers by region, failures, error rate, p95), the dials, the phases
// as spans, the faults' windows, the writer's moves and the alarms' changes.
(function () {
  var data = JSON.parse(document.getElementById('gafail-data').textContent);
  var t = function (iso) { return new Date(iso).getTime(); };
  var regions = {};
  data.users.forEach(function (u) { Object.keys(u.load.regions || {}).forEach(function (r) { regions[r] = true; }); });
  data.dials.forEach(function (d) { regions[d.region] = true; });
  regions = Object.keys(regions).sort();
  var at = function (u) { return t(u.at); };
  var series = [];
  // Hosts the spans and marks even when no users were measured (a failover without load).
  series.push({
    name: 'phases', type: 'line', xAxisIndex: 0, yAxisIndex: 0, symbol: 'none', silent: true,
    lineStyle: {opacity: 0}, data: [[t(data.start), 0], [t(data.end), 0]],
    markArea: {
      silent: true,
      data: data.phases.map(function (p, i) {
        return [{name: p.name, xAxis: t(p.start), itemStyle: {color: i % 2 ? 'rgba(120,120,120,0.08)' : 'rgba(120,120,120,0.16)'},
                 label: {position: 'insideTop', fontSize: 9, rotate: 90, align: 'left', verticalAlign: 'middle'}},
                {xAxis: t(p.end)}];
      }).concat(data.faults.map(function (f) {
        return [{name: 'fault: ' + f.name, xAxis: t(f.start), itemStyle: {color: 'rgba(220,40,40,0.15)'},
                 label: {position: 'insideBottom', color: '#b00'}}, {xAxis: t(f.end)}];
      }))
    },
    markLine: {
      silent: true, symbol: 'none',
      data: data.writer.map(function (m) {
        return {name: m.label, xAxis: t(m.at), lineStyle: {color: '#5a2', width: 2}, label: {formatter: m.label}};
      }).concat(data.alarms.map(function (m) {
        return {name: m.label, xAxis: t(m.at), lineStyle: {color: '#d80', type: 'dashed'},
                label: {formatter: m.label, position: 'insideEndTop', fontSize: 9}};
      }))
    }
  });
  regions.forEach(function (r) {
    series.push({name: 'answered by ' + r, type: 'line', stack: 'answers', areaStyle: {}, symbol: 'none',
      xAxisIndex: 0, yAxisIndex: 0, data: data.users.map(function (u) { return [at(u), (u.load.regions || {})[r] || 0]; })});
  });
  series.push({name: 'failed', type: 'line', xAxisIndex: 0, yAxisIndex: 0, symbol: 'none', itemStyle: {color: '#c22'},
    lineStyle: {color: '#c22'}, areaStyle: {color: 'rgba(204,34,34,0.35)'},
    data: data.users.map(function (u) { return [at(u), u.load.failed]; })});
  series.push({name: 'error rate %', type: 'line', xAxisIndex: 0, yAxisIndex: 1, symbol: 'none', lineStyle: {color: '#c22'},
    data: data.users.map(function (u) { return [at(u), u.load.errorRate]; })});
  series.push({name: 'p95 ms', type: 'line', xAxisIndex: 1, yAxisIndex: 2, symbol: 'none',
    data: data.users.map(function (u) { return [at(u), u.load.p95]; })});
  regions.forEach(function (r) {
    var points = data.dials.filter(function (d) { return d.region === r; }).map(function (d) { return [t(d.at), d.dial]; });
    if (points.length) {
      points.push([t(data.end), points[points.length - 1][1]]);
    }
    series.push({name: 'dial ' + r, type: 'line', step: 'end', xAxisIndex: 1, yAxisIndex: 3, symbol: 'circle', data: points});
  });
  var chart = echarts.init(document.getElementById('timeline'), null, {renderer: 'svg'});
  chart.setOption({
    animation: false,
    title: {text: data.title, left: 'center', textStyle: {fontSize: 14}},
    tooltip: {trigger: 'axis'},
    legend: {top: 24, data: series.filter(function (s) { return s.name !== 'phases'; }).map(function (s) { return s.name; })},
    axisPointer: {link: [{xAxisIndex: 'all'}]},
    grid: [{left: 60, right: 60, top: 70, height: '42%'}, {left: 60, right: 60, top: '64%', height: '26%'}],
    xAxis: [{type: 'time', gridIndex: 0, min: t(data.start), max: t(data.end)},
            {type: 'time', gridIndex: 1, min: t(data.start), max: t(data.end)}],
    yAxis: [{type: 'value', gridIndex: 0, name: 'requests per interval'},
            {type: 'value', gridIndex: 0, name: 'error rate %', max: 100, splitLine: {show: false}},
            {type: 'value', gridIndex: 1, name: 'p95 ms'},
            {type: 'value', gridIndex: 1, name: 'dial %', min: 0, max: 100, splitLine: {show: false}}],
    series: series
  });
  document.getElementById('timeline').setAttribute('data-series', series.map(function (s) { return s.name; }).join('|'));
}());

/* CZT planner map helpers: panes and opening view, labels and their placement,
   scale bar and north arrow, the title that fades under an open popup.
   Written by ctz.maps; every function takes the Leaflet map it works on. */

/* Create the base pane (under the tiles) and the label pane, then fit the opening
   bounds (when given) into the part of the frame below the title and left of the legend.
   A frame laid out only after its scripts ran (the briefing's sandboxed frame, drawn in
   a process of its own) has no size yet: the map then opens once it has one. */
function ctzSetup(map, corners, pad, basePane, labelPane) {
    map.createPane(basePane).style.zIndex = 150;
    var labels = map.createPane(labelPane);
    labels.style.zIndex = 640;
    labels.style.pointerEvents = "none";
    function open() {
        if (!corners) {
            return;
        }
        var title = document.getElementById("ctz-title");
        var legend = document.getElementById("ctz-legend");
        var top = title ? title.offsetTop + title.offsetHeight : 0;
        var beside = document.body.classList.contains("ctz-legend-beside");
        var right = legend && legend.open !== false && !beside ? legend.offsetWidth + 10 : 0;
        map.fitBounds(corners, {paddingTopLeft: [pad, top + pad], paddingBottomRight: [right + pad, pad]});
    }
    var container = map.getContainer();
    if (container.clientWidth && container.clientHeight) {
        open();
        return;
    }
    var watch = new ResizeObserver(function () {
        if (container.clientWidth && container.clientHeight) {
            watch.disconnect();
            map.invalidateSize();
            open();
        }
    });
    watch.observe(container);
}

/* Add labels to a layer group; rows are [lat, lon, html, priority, minZoom, point, css, color]
   with html already escaped. */
function ctzAddLabels(group, rows, pane) {
    rows.forEach(function (row) {
        var marker = L.marker([row[0], row[1]], {
            icon: L.divIcon({
                className: "ctz-label-anchor",
                html: '<span class="' + row[6] + '" style="color:' + row[7] + '">' + row[2] + "</span>",
                iconSize: null
            }),
            interactive: false,
            keyboard: false,
            pane: pane
        });
        marker.ctzLabel = {priority: row[3], minZoom: row[4], point: row[5]};
        marker.addTo(group);
    });
}

/* Place the labels after every zoom, pan or layer switch: in priority order each takes
   the first candidate position inside the frame and clear of the labels already placed,
   the title, the legend and the controls; the others are hidden, except a city's name
   (priority 0, a point), which is set beside its point even when nothing is clear. */
function ctzPlaceLabels(map) {
    var PAD = 2, RADIUS = 8;
    function overlaps(a, b) {
        return a[0] < b[2] + PAD && b[0] < a[2] + PAD && a[1] < b[3] + PAD && b[1] < a[3] + PAD;
    }
    function furniture() {
        var frame = map.getContainer().getBoundingClientRect(), boxes = [];
        var found = document.querySelectorAll(".ctz-title, .ctz-legend, .leaflet-control");
        found.forEach(function (el) {
            var r = el.getBoundingClientRect();
            if (r.width && r.height) {
                boxes.push([r.left - frame.left, r.top - frame.top,
                            r.right - frame.left, r.bottom - frame.top]);
            }
        });
        return boxes;
    }
    function candidates(info, w, h, west) {
        if (!info.point) {
            return [[-w / 2, -h / 2]];
        }
        if (info.priority === 0 && west) {  // a city west of the cities' middle: name to the west
            return [[-w - RADIUS, -h / 2], [RADIUS, -h / 2], [-w / 2, -h - RADIUS],
                    [-w / 2, RADIUS]];
        }
        return [[RADIUS, -h / 2], [-w - RADIUS, -h / 2], [-w / 2, -h - RADIUS], [-w / 2, RADIUS],
                [RADIUS, -h - RADIUS], [RADIUS, RADIUS], [-w - RADIUS, -h - RADIUS],
                [-w - RADIUS, RADIUS], [-w / 2, -1.5 * h - RADIUS], [-w / 2, h / 2 + RADIUS]];
    }
    function placeOne(marker, size, zoom, taken, middle) {
        var el = marker.getElement();
        var info = marker.ctzLabel, span = el.firstChild;
        el.style.display = "none";
        if (zoom < info.minZoom) {
            return false;
        }
        var p = map.latLngToContainerPoint(marker.getLatLng());
        if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) {
            return false;
        }
        el.style.display = "";
        var w = span.offsetWidth, h = span.offsetHeight, offsets = candidates(info, w, h, p.x < middle);
        for (var i = 0; i < offsets.length; i++) {
            var x = p.x + offsets[i][0], y = p.y + offsets[i][1], box = [x, y, x + w, y + h];
            var inside = box[0] >= 0 && box[1] >= 0 && box[2] <= size.x && box[3] <= size.y;
            if (inside && !taken.some(function (t) { return overlaps(box, t); })) {
                span.style.transform = "translate(" + offsets[i][0] + "px," + offsets[i][1] + "px)";
                taken.push(box);
                return true;
            }
        }
        if (info.priority === 0 && info.point) {  // a city's name is never dropped
            span.style.transform = "translate(" + offsets[0][0] + "px," + offsets[0][1] + "px)";
            taken.push([p.x + offsets[0][0], p.y + offsets[0][1], p.x + offsets[0][0] + w,
                        p.y + offsets[0][1] + h]);
            return true;
        }
        el.style.display = "none";
        return false;
    }
    function place() {
        var size = map.getSize(), zoom = map.getZoom(), taken = furniture(), shown = 0;
        var labels = [];
        map.eachLayer(function (layer) {
            if (layer.ctzLabel) {
                labels.push(layer);  // labels of the layers switched on
            }
        });
        labels.sort(function (a, b) { return a.ctzLabel.priority - b.ctzLabel.priority; });
        var cities = labels.filter(function (m) { return m.ctzLabel.priority === 0 && m.ctzLabel.point; });
        var middle = cities.reduce(function (sum, m) {
            return sum + map.latLngToContainerPoint(m.getLatLng()).x / cities.length;
        }, 0);
        labels.forEach(function (marker) {
            if (placeOne(marker, size, zoom, taken, middle)) {
                shown += 1;
            }
        });
        map.getContainer().dataset.ctzLabelsShown = shown;
    }
    var pending = false;
    function later() {  // labels added after the map opened are placed once, together
        if (!pending) {
            pending = true;
            setTimeout(function () { pending = false; place(); }, 0);
        }
    }
    map.on("zoomend moveend overlayadd overlayremove resize", place);
    map.on("layeradd", function (event) {
        if (event.layer.ctzLabel) {
            later();
        }
    });
    map.whenReady(place);
}

/* A metric scale bar (bottom left) and a north arrow (top left). */
function ctzScaleAndNorth(map) {
    var arrow = L.control({position: "topleft"});
    arrow.onAdd = function () {
        var div = L.DomUtil.create("div", "ctz-north");
        div.innerHTML = '<svg width="26" height="38" viewBox="0 0 26 38" role="img" aria-label="N">'
            + '<text x="13" y="11" text-anchor="middle" font-family="sans-serif" font-size="12"'
            + ' font-weight="700" fill="#212529">N</text>'
            + '<path d="M13 13 L21 35 L13 29 Z" fill="#495057"/>'
            + '<path d="M13 13 L5 35 L13 29 Z" fill="#fff" stroke="#495057" stroke-width="1"/></svg>';
        return div;
    };
    arrow.addTo(map);
    L.control.scale({imperial: false, maxWidth: 160}).addTo(map);
}

/* Fade the title while an open popup lies under it, so the popup reads in full. */
function ctzTitleFade(map) {
    var title = document.getElementById("ctz-title"), open = null;
    if (!title) {
        return;
    }
    function fade() {
        var under = false;
        if (open && open.getElement()) {
            var a = open.getElement().getBoundingClientRect(), b = title.getBoundingClientRect();
            under = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        }
        title.classList.toggle("ctz-faded", under);
    }
    map.on("popupopen", function (event) { open = event.popup; fade(); });
    map.on("popupclose", function () { open = null; fade(); });
    map.on("moveend", fade);
}

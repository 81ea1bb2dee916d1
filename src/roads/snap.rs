//! Joining factories and parks to the road graph through an R-tree of its segments.
//!
//! A factory joins at the point of the nearest segment (the point projected on it; the segment
//! is split there: the route starts toward either end the link's direction allows). A park
//! joins at the point of the nearest segment closest to its boundary (0 m when a road enters
//! it). Farther than `max_snap_m`, nothing is joined: the caller decides what that means.

use geo::{Distance, Euclidean, Intersects, Line, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Line as TreeLine};
use rstar::{RTree, AABB};

use super::graph::Graph;

/// Where a point joins the graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snap {
    pub link: u32,
    /// Position along the link from its `a` end, 0–1.
    pub t: f64,
    /// The joining point, metric.
    pub at: [f64; 2],
    /// Straight distance from the factory (or the park's boundary) to the joining point, m.
    pub offset_m: f64,
}

type Segment = GeomWithData<TreeLine<[f64; 2]>, u32>;

/// The graph's segments, bulk-loaded.
pub struct Snapper {
    tree: RTree<Segment>,
}

/// The point of segment `a`–`b` nearest to `p`, as its position 0–1 from `a`.
fn project(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    if len2 <= 0.0 {
        return 0.0;
    }
    (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
}

fn lerp(a: [f64; 2], b: [f64; 2], t: f64) -> [f64; 2] {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

impl Snapper {
    pub fn new(graph: &Graph) -> Snapper {
        let segments: Vec<Segment> = graph
            .links
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let a = *graph.xy.get(l.a as usize)?;
                let b = *graph.xy.get(l.b as usize)?;
                Some(GeomWithData::new(TreeLine::new(a, b), i as u32))
            })
            .collect();
        Snapper { tree: RTree::bulk_load(segments) }
    }

    /// Ends of a link, metric.
    fn ends(graph: &Graph, link: u32) -> Option<([f64; 2], [f64; 2])> {
        let l = graph.link(link)?;
        Some((*graph.xy.get(l.a as usize)?, *graph.xy.get(l.b as usize)?))
    }

    /// The nearest segment to a point within `max_m`; ties go to the lowest link id.
    pub fn point(&self, graph: &Graph, p: Point<f64>, max_m: f64) -> Option<Snap> {
        let q = [p.x(), p.y()];
        let mut best: Option<Snap> = None;
        // Segments at the nearest distance (several meet at a node): the lowest link wins.
        for (segment, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&q) {
            let d = d2.sqrt();
            if d > max_m || best.is_some_and(|b| d > b.offset_m + 1e-9) {
                break;
            }
            let link = segment.data;
            let Some((a, b)) = Snapper::ends(graph, link) else { continue };
            let t = project(a, b, q);
            let candidate = Snap { link, t, at: lerp(a, b, t), offset_m: d };
            if best.map_or(true, |b| link < b.link) {
                best = Some(candidate);
            }
        }
        best
    }

    /// The segment nearest to a park's boundary within `max_m`, joined at its point closest to
    /// the park (inside or on the boundary when a road reaches it: 0 m).
    pub fn area(&self, graph: &Graph, area: &MultiPolygon<f64>, max_m: f64) -> Option<Snap> {
        use geo::BoundingRect;
        let rect = area.bounding_rect()?;
        let envelope = AABB::from_corners(
            [rect.min().x - max_m, rect.min().y - max_m],
            [rect.max().x + max_m, rect.max().y + max_m],
        );
        let mut best: Option<Snap> = None;
        for segment in self.tree.locate_in_envelope_intersecting(&envelope) {
            let link = segment.data;
            let Some((a, b)) = Snapper::ends(graph, link) else { continue };
            let line =
                Line::new(geo::coord! { x: a[0], y: a[1] }, geo::coord! { x: b[0], y: b[1] });
            let d = Euclidean.distance(&line, area);
            if d > max_m {
                continue;
            }
            let better = match best {
                None => true,
                Some(s) => {
                    d < s.offset_m - 1e-9 || ((d - s.offset_m).abs() <= 1e-9 && link < s.link)
                }
            };
            if !better {
                continue;
            }
            let t = if line.intersects(area) {
                // Where the road reaches the park: its end inside, else where it crosses.
                let inside = |p: [f64; 2]| Point::new(p[0], p[1]).intersects(area);
                if inside(a) {
                    0.0
                } else if inside(b) {
                    1.0
                } else {
                    crossing(a, b, area).unwrap_or(0.5)
                }
            } else {
                closest_to_area(a, b, area)
            };
            best = Some(Snap { link, t, at: lerp(a, b, t), offset_m: d });
        }
        best
    }
}

/// Position along `a`–`b` of its point nearest to a park it does not touch: the nearest pair of
/// two disjoint polylines has an end of one segment among its points.
fn closest_to_area(a: [f64; 2], b: [f64; 2], area: &MultiPolygon<f64>) -> f64 {
    let to_area = |p: [f64; 2]| Euclidean.distance(&Point::new(p[0], p[1]), area);
    let mut best = (to_area(a), 0.0);
    let db = to_area(b);
    if db < best.0 {
        best = (db, 1.0);
    }
    for polygon in &area.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for c in &ring.0 {
                let v = [c.x, c.y];
                let t = project(a, b, v);
                let d = dist(lerp(a, b, t), v);
                if d < best.0 {
                    best = (d, t);
                }
            }
        }
    }
    best.1
}

/// Position along `a`–`b` where it first crosses the park's boundary.
fn crossing(a: [f64; 2], b: [f64; 2], area: &MultiPolygon<f64>) -> Option<f64> {
    use geo::line_intersection::{line_intersection, LineIntersection};
    let seg = Line::new(geo::coord! { x: a[0], y: a[1] }, geo::coord! { x: b[0], y: b[1] });
    let mut first: Option<f64> = None;
    for polygon in &area.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for edge in ring.lines() {
                let p = match line_intersection(seg, edge) {
                    Some(LineIntersection::SinglePoint { intersection, .. }) => intersection,
                    Some(LineIntersection::Collinear { intersection }) => intersection.start,
                    None => continue,
                };
                let t = project(a, b, [p.x, p.y]);
                first = Some(first.map_or(t, |f: f64| f.min(t)));
            }
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Oneway;
    use crate::roads::graph::tests::road;
    use crate::scenario::RoadSettings;
    use geo::polygon;

    fn graph() -> Graph {
        Graph::build(
            &[road(&[(0.0, 0.0), (1000.0, 0.0), (1000.0, 1000.0), (0.0, 0.0)], Oneway::Both)],
            &RoadSettings::default(),
        )
    }

    #[test]
    fn a_point_joins_the_nearest_segment_at_its_projection() {
        let g = graph();
        let s = Snapper::new(&g);
        let snap = s.point(&g, Point::new(400.0, -300.0), 2000.0).unwrap();
        assert_eq!(snap.link, 0);
        assert!((snap.t - 0.4).abs() < 1e-12);
        assert!((snap.offset_m - 300.0).abs() < 1e-9);
        assert!(s.point(&g, Point::new(400.0, -300.0), 100.0).is_none());
    }

    #[test]
    fn a_park_joins_at_the_road_point_nearest_its_boundary() {
        let g = graph();
        let s = Snapper::new(&g);
        let park = MultiPolygon(vec![polygon![
            (x: 1200.0, y: 400.0), (x: 1400.0, y: 400.0), (x: 1400.0, y: 600.0), (x: 1200.0, y: 600.0)
        ]]);
        let snap = s.area(&g, &park, 2000.0).unwrap();
        assert_eq!(snap.link, 1);
        assert!((snap.offset_m - 200.0).abs() < 1e-9);
        assert!(snap.at[1] >= 400.0 && snap.at[1] <= 600.0, "{snap:?}");
        let crossed = MultiPolygon(vec![polygon![
            (x: 400.0, y: -50.0), (x: 600.0, y: -50.0), (x: 600.0, y: 50.0), (x: 400.0, y: 50.0)
        ]]);
        let snap = s.area(&g, &crossed, 2000.0).unwrap();
        assert_eq!((snap.link, snap.offset_m), (0, 0.0));
        assert!((snap.t - 0.4).abs() < 1e-9, "{snap:?}");
    }
}

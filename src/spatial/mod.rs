//! R-tree wrappers shared by the stages. rstar's radius queries take *squared* radii: the
//! conversion lives here once, in `within_distance`, so no other file can get it wrong.
//!
//! 1. `EnvelopeIndex` bulk-loads the bounding rectangles of a layer's features, each tagged with
//!    the feature's index in its layer.
//! 2. Its queries are *envelope filters*: they may return features that do not qualify (the
//!    rectangle is bigger than the shape) and never leave out one that does. The caller then
//!    runs the exact `geo` test on the shape itself.
//!
//! All coordinates are in the metric working CRS, so every distance here is in metres.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{BoundingRect, Coord, MultiPolygon, Point, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{PointDistance, RTree, AABB};

/// An entry of the index: a feature's bounding rectangle and its index in its layer.
type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Relative slack added to a query radius before squaring it, so that a rounding error in the
/// square cannot drop a feature lying exactly at the radius. The envelope filter may then let
/// one more feature through; the exact test decides.
const RADIUS_SLACK: f64 = 1e-9;

/// Squares a radius in metres for rstar, with the slack above. The one place a radius becomes a
/// squared radius.
pub fn squared_radius_m2(radius_m: f64) -> f64 {
    let padded = radius_m.max(0.0) * (1.0 + RADIUS_SLACK) + RADIUS_SLACK;
    padded * padded
}

/// A bulk-loaded R-tree over the bounding rectangles of one layer's features.
#[derive(Debug, Default)]
pub struct EnvelopeIndex {
    tree: RTree<Entry>,
}

impl EnvelopeIndex {
    /// Indexes the features by their position in the iterator; features without a bounding
    /// rectangle (empty geometry) are left out of the index, since nothing can be inside or near
    /// them.
    pub fn new<'a, G, I>(features: I) -> Self
    where
        G: BoundingRect<f64> + 'a + ?Sized,
        G::Output: Into<Option<Rect<f64>>>,
        I: IntoIterator<Item = &'a G>,
    {
        Self::new_indexed(features.into_iter().enumerate())
    }

    /// Indexes some features of a layer, each tagged with the index given alongside it (the
    /// feature's position in its whole layer); empty geometries are left out as in `new`.
    pub fn new_indexed<'a, G, I>(features: I) -> Self
    where
        G: BoundingRect<f64> + 'a + ?Sized,
        G::Output: Into<Option<Rect<f64>>>,
        I: IntoIterator<Item = (usize, &'a G)>,
    {
        let entries = features
            .into_iter()
            .filter_map(|(i, g)| {
                let rect: Option<Rect<f64>> = g.bounding_rect().into();
                rect.map(|r| GeomWithData::new(rectangle(r), i))
            })
            .collect();
        EnvelopeIndex { tree: RTree::bulk_load(entries) }
    }

    /// Indexes rectangles given directly, tagged by their position.
    pub fn from_rects(rects: impl IntoIterator<Item = Rect<f64>>) -> Self {
        let entries = rects
            .into_iter()
            .enumerate()
            .map(|(i, r)| GeomWithData::new(rectangle(r), i))
            .collect();
        EnvelopeIndex { tree: RTree::bulk_load(entries) }
    }

    /// Indexes rectangles given directly, tagged by their position; `None` (an empty geometry)
    /// keeps its position but is left out of the index.
    pub fn from_optional_rects(rects: impl IntoIterator<Item = Option<Rect<f64>>>) -> Self {
        let entries = rects
            .into_iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| GeomWithData::new(rectangle(r), i)))
            .collect();
        EnvelopeIndex { tree: RTree::bulk_load(entries) }
    }

    pub fn len(&self) -> usize {
        self.tree.size()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Features whose rectangle contains the point (boundary included), ascending by index so
    /// that callers break ties the same way on every run.
    pub fn at_point(&self, point: Point<f64>) -> Vec<usize> {
        let mut found: Vec<usize> =
            self.tree.locate_all_at_point(&[point.x(), point.y()]).map(|e| e.data).collect();
        found.sort_unstable();
        found
    }

    /// Features whose rectangle comes within `radius_m` of the point (boundary included),
    /// ascending by index.
    pub fn within_distance(&self, point: Point<f64>, radius_m: f64) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .tree
            .locate_within_distance([point.x(), point.y()], squared_radius_m2(radius_m))
            .map(|e| e.data)
            .collect();
        found.sort_unstable();
        found
    }

    /// Features whose rectangle comes within `radius_m` of the rectangle `rect` (the rectangle
    /// grown by the radius on every side; its corners reach a little further than the radius,
    /// which the exact test then rules out). Ascending by index.
    pub fn near_rect(&self, rect: Rect<f64>, radius_m: f64) -> Vec<usize> {
        let pad = radius_m.max(0.0) * (1.0 + RADIUS_SLACK) + RADIUS_SLACK;
        let grown = AABB::from_corners(
            [rect.min().x - pad, rect.min().y - pad],
            [rect.max().x + pad, rect.max().y + pad],
        );
        let mut found: Vec<usize> =
            self.tree.locate_in_envelope_intersecting(&grown).map(|e| e.data).collect();
        found.sort_unstable();
        found
    }

    /// Features whose rectangle comes within `radius_m` of the point, in ascending order of
    /// that rectangle distance (a lower bound of the distance to the shape), with the distance
    /// in metres, written into `found` (cleared first, so one buffer serves a whole stage).
    /// Ties are in index order; callers still break ties on the exact distance and the id.
    ///
    /// A radius query and a sort of the few features it returns: a million sites each asking
    /// for their neighbours within a separation distance cost a third of what rstar's
    /// nearest-neighbour iterator (a heap of tree nodes per query) costs for the same answer.
    pub fn nearest_within(&self, point: Point<f64>, radius_m: f64, found: &mut Vec<(usize, f64)>) {
        found.clear();
        let at = [point.x(), point.y()];
        found.extend(
            self.tree
                .locate_within_distance(at, squared_radius_m2(radius_m))
                .map(|e| (e.data, e.geom().distance_2(&at).sqrt())),
        );
        found.sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    }
}

/// The distance from a query point to a feature's rectangle, kept squared as rstar computes it
/// so that comparing it with a radius squares the radius (exactly, as the caller's own arithmetic
/// would) instead of taking a root of every distance.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct EnvelopeDistance {
    squared_m2: f64,
}

impl EnvelopeDistance {
    /// Whether the rectangle lies farther than `radius_m` from the point (exactly at the radius
    /// is not farther).
    pub fn beyond(self, radius_m: f64) -> bool {
        self.squared_m2 > radius_m * radius_m
    }
}

impl EnvelopeIndex {
    /// Every feature, nearest rectangle first (rstar's nearest-neighbour iterator), with the
    /// distance to its rectangle, a lower bound of the distance to the shape. For a caller
    /// that stops once it has found enough: it pays only for the rectangles it visits.
    pub fn nearest_first(
        &self,
        point: Point<f64>,
    ) -> impl Iterator<Item = (usize, EnvelopeDistance)> + '_ {
        self.tree
            .nearest_neighbor_iter_with_distance_2(&[point.x(), point.y()])
            .map(|(e, squared_m2)| (e.data, EnvelopeDistance { squared_m2 }))
    }
}

/// The points' indices in an order where neighbours come together (Z-order over a 65,536 ×
/// 65,536 grid on their bounding box; ties by index). A stage querying an R-tree for a million
/// factories in this order finds the tree nodes it needs still in cache from the neighbour
/// before; in file order each query starts cold. Callers put results back in file order.
pub fn nearby_order(points: &[Point<f64>]) -> Vec<usize> {
    let (mut min, mut max) = (
        Coord { x: f64::INFINITY, y: f64::INFINITY },
        Coord { x: f64::NEG_INFINITY, y: f64::NEG_INFINITY },
    );
    for p in points {
        min = Coord { x: min.x.min(p.x()), y: min.y.min(p.y()) };
        max = Coord { x: max.x.max(p.x()), y: max.y.max(p.y()) };
    }
    let cell = |v: f64, lo: f64, hi: f64| -> u32 {
        let span = hi - lo;
        if span > 0.0 && v.is_finite() {
            (((v - lo) / span) * 65_535.0).clamp(0.0, 65_535.0) as u32
        } else {
            0
        }
    };
    let mut keyed: Vec<(u64, usize)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| (interleave(cell(p.x(), min.x, max.x), cell(p.y(), min.y, max.y)), i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// The Morton code of a grid cell: the bits of x and y interleaved.
fn interleave(x: u32, y: u32) -> u64 {
    let spread = |v: u32| -> u64 {
        let mut v = u64::from(v);
        v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFF;
        v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FF;
        v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
        v = (v | (v << 2)) & 0x3333_3333_3333_3333;
        (v | (v << 1)) & 0x5555_5555_5555_5555
    };
    spread(x) | (spread(y) << 1)
}

/// Where a point lies relative to an area: inside, on its boundary (a hole's edge included), or
/// outside (a point in a hole is outside). Unlike `Intersects`, this does not recompute the
/// area's bounding rectangle on every call: the R-tree has already filtered on it.
pub fn position(area: &MultiPolygon<f64>, point: Point<f64>) -> CoordPos {
    area.coordinate_position(&point.0)
}

/// Whether the point lies in the area, its boundary included.
pub fn touches(area: &MultiPolygon<f64>, point: Point<f64>) -> bool {
    position(area, point) != CoordPos::Outside
}

fn rectangle(r: Rect<f64>) -> Rectangle<[f64; 2]> {
    let (min, max): (Coord<f64>, Coord<f64>) = (r.min(), r.max());
    Rectangle::from_corners([min.x, min.y], [max.x, max.y])
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    fn square(x: f64, y: f64, side: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x, y: y),
            (x: x + side, y: y),
            (x: x + side, y: y + side),
            (x: x, y: y + side),
            (x: x, y: y),
        ]])
    }

    #[test]
    fn a_point_on_an_edge_touches_and_a_point_in_a_hole_does_not() {
        let with_hole = MultiPolygon(vec![polygon![
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 4.0, y: 4.0), (x: 6.0, y: 4.0), (x: 6.0, y: 6.0), (x: 4.0, y: 6.0), (x: 4.0, y: 4.0)]],
        ]]);
        assert_eq!(position(&with_hole, Point::new(1.0, 1.0)), CoordPos::Inside);
        assert_eq!(position(&with_hole, Point::new(10.0, 5.0)), CoordPos::OnBoundary);
        assert!(touches(&with_hole, Point::new(4.0, 5.0)));
        assert!(!touches(&with_hole, Point::new(5.0, 5.0)));
        assert!(!touches(&with_hole, Point::new(11.0, 5.0)));
    }

    #[test]
    fn nearby_order_keeps_neighbours_together_and_every_index_once() {
        let points = [
            Point::new(0.0, 0.0),
            Point::new(100.0, 100.0),
            Point::new(1.0, 1.0),
            Point::new(99.0, 99.0),
            Point::new(0.0, 0.0),
        ];
        assert_eq!(nearby_order(&points), vec![0, 4, 2, 3, 1]);
        assert_eq!(interleave(0b11, 0b01), 0b0111);
        assert!(nearby_order(&[]).is_empty());
        assert_eq!(nearby_order(&[Point::new(f64::NAN, 5.0), Point::new(3.0, 5.0)]), vec![0, 1]);
    }

    #[test]
    fn a_feature_exactly_at_the_radius_is_not_dropped_by_the_squared_radius() {
        // 0.1 + 0.2 style rounding: the rectangle's edge at 300.00000000000006 would be lost to a
        // bare `300.0 * 300.0`.
        let index = EnvelopeIndex::new(&[square(0.1 + 0.2 + 300.0, 0.0, 10.0)]);
        assert_eq!(index.within_distance(Point::new(0.3, 5.0), 300.0), vec![0]);
        assert!(index.within_distance(Point::new(0.3, 5.0), 299.9).is_empty());
    }

    #[test]
    fn point_queries_include_the_rectangle_boundary_and_sort_by_index() {
        let index = EnvelopeIndex::new(&[square(10.0, 0.0, 10.0), square(0.0, 0.0, 10.0)]);
        assert_eq!(index.at_point(Point::new(10.0, 5.0)), vec![0, 1]);
        assert_eq!(index.at_point(Point::new(25.0, 5.0)), Vec::<usize>::new());
    }

    #[test]
    fn near_rect_finds_rectangles_within_the_radius_of_a_footprint() {
        let index = EnvelopeIndex::new(&[square(100.0, 0.0, 10.0), square(200.0, 0.0, 10.0)]);
        let footprint = Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 50.0, y: 10.0 });
        assert_eq!(index.near_rect(footprint, 50.0), vec![0]);
        assert_eq!(index.near_rect(footprint, 150.0), vec![0, 1]);
    }

    #[test]
    fn nearest_within_sorts_rectangles_by_distance_up_to_the_radius() {
        let index = EnvelopeIndex::new(&[
            square(500.0, 0.0, 10.0),
            square(100.0, 0.0, 10.0),
            square(0.0, 105.0, 10.0),
            square(-110.0, 0.0, 10.0),
        ]);
        let mut found = vec![(9, 9.0)];
        index.nearest_within(Point::new(0.0, 5.0), 500.0, &mut found);
        assert_eq!(found, vec![(1, 100.0), (2, 100.0), (3, 100.0), (0, 500.0)]);
        index.nearest_within(Point::new(0.0, 5.0), 499.0, &mut found);
        assert_eq!(found, vec![(1, 100.0), (2, 100.0), (3, 100.0)]);
    }
}

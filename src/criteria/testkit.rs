//! A small builder of hand-made inputs in metres, for the criteria tests.

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon};

use super::{assess, Assessment, Criterion, CriterionResult, FactoryAssessment};
use crate::model::{
    Corridor, CorridorShape, District, Factory, Inputs, Origin, Park, ParkClass, ParkKind,
    PlannedUse, Receptor, Records, Site, WorkingCrs, Zone,
};
use crate::scenario::{Flags, Settings};

/// An axis-aligned rectangle from (x0, y0) to (x1, y1), as a one-polygon MultiPolygon.
pub fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![rect_polygon(x0, y0, x1, y1, vec![])])
}

/// A rectangle with holes (each hole a rectangle too).
pub fn rect_polygon(x0: f64, y0: f64, x1: f64, y1: f64, holes: Vec<[f64; 4]>) -> Polygon<f64> {
    let ring = |x0: f64, y0: f64, x1: f64, y1: f64| {
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])
    };
    Polygon::new(
        ring(x0, y0, x1, y1),
        holes.into_iter().map(|[a, b, c, d]| ring(a, b, c, d)).collect(),
    )
}

fn origin(file: &str, index: usize) -> Origin {
    Origin { file: file.to_string(), index }
}

pub struct World {
    pub inputs: Inputs,
    pub settings: Settings,
}

impl World {
    pub fn new() -> World {
        let args = Flags {
            parks: Some("parks.geojson".into()),
            factories: Some("factories.geojson".into()),
            ..Flags::default()
        };
        let settings = match Settings::from_flags(&args, None) {
            Ok(s) => s,
            Err(e) => panic!("test settings: {e}"),
        };
        World {
            inputs: Inputs {
                parks: vec![],
                factories: vec![],
                zoning: vec![],
                receptors: vec![],
                corridors: vec![],
                districts: vec![],
                roads: vec![],
                gates: vec![],
                working_crs: WorkingCrs { epsg: 32648, name: "WGS 84 / UTM zone 48N".to_string() },
                files: vec![],
            },
            settings,
        }
    }

    fn push_factory(&mut self, id: &str, site: Site, location: Point<f64>) -> &mut Factory {
        let index = self.inputs.factories.len();
        self.inputs.factories.push(Factory {
            origin: origin("factories.geojson", index),
            id: id.to_string(),
            name: format!("Factory {id}"),
            sector: "garments".to_string(),
            land_ha: 1.0,
            employees: Some(100),
            district: None,
            hazard_class: None,
            fire_risk: None,
            records: Records::default(),
            site_lonlat: site.clone(),
            site,
            location,
            location_lonlat: location,
        });
        self.inputs.factories.last_mut().unwrap()
    }

    /// A point factory at (x, y).
    pub fn factory(&mut self, id: &str, x: f64, y: f64) -> &mut Factory {
        let p = Point::new(x, y);
        self.push_factory(id, Site::Point(p), p)
    }

    /// A factory with a footprint; its location is the footprint's first corner nudged inside
    /// (good enough for the rectangles used here).
    pub fn footprint(
        &mut self,
        id: &str,
        area: MultiPolygon<f64>,
        location: (f64, f64),
    ) -> &mut Factory {
        let p = Point::new(location.0, location.1);
        self.push_factory(id, Site::Footprint(area), p)
    }

    pub fn zone(&mut self, id: &str, planned_use: PlannedUse, area: MultiPolygon<f64>) {
        let index = self.inputs.zoning.len();
        self.inputs.zoning.push(Zone {
            origin: origin("zoning.geojson", index),
            id: id.to_string(),
            planned_use,
            area_lonlat: area.clone(),
            area,
        });
    }

    pub fn receptor(&mut self, id: &str, kind: &str, shape: Geometry<f64>) {
        let index = self.inputs.receptors.len();
        self.inputs.receptors.push(Receptor {
            origin: origin("receptors.geojson", index),
            id: id.to_string(),
            kind: kind.to_string(),
            shape,
        });
    }

    pub fn corridor_area(&mut self, id: &str, kind: &str, area: MultiPolygon<f64>) {
        self.push_corridor(id, kind, CorridorShape::Area(area));
    }

    pub fn corridor_line(&mut self, id: &str, kind: &str, points: &[(f64, f64)], width_m: f64) {
        let line: LineString<f64> = points.iter().map(|&(x, y)| Coord { x, y }).collect();
        self.push_corridor(
            id,
            kind,
            CorridorShape::Line { line: MultiLineString(vec![line]), width_m },
        );
    }

    fn push_corridor(&mut self, id: &str, kind: &str, shape: CorridorShape) {
        let index = self.inputs.corridors.len();
        self.inputs.corridors.push(Corridor {
            origin: origin("corridors.geojson", index),
            id: id.to_string(),
            kind: kind.to_string(),
            shape,
        });
    }

    pub fn park(&mut self, id: &str, name: &str, area: MultiPolygon<f64>) {
        let index = self.inputs.parks.len();
        self.inputs.parks.push(Park {
            origin: origin("parks.geojson", index),
            id: id.to_string(),
            name: name.to_string(),
            available_ha: 10.0,
            district: None,
            kind: ParkKind::Park,
            class: ParkClass::General,
            total_ha: None,
            ready_year: None,
            sectors: vec![],
            excluded_sectors: vec![],
            max_hazard_class: None,
            area_lonlat: area.clone(),
            area,
        });
    }

    pub fn district(&mut self, name: &str, area: MultiPolygon<f64>) {
        let index = self.inputs.districts.len();
        self.inputs.districts.push(District {
            origin: origin("districts.geojson", index),
            name: name.to_string(),
            area_lonlat: area.clone(),
            area,
        });
    }

    pub fn assess(&self) -> Assessment {
        assess(&self.inputs, &self.settings)
    }

    /// The assessment of the factory with this id.
    pub fn of(&self, id: &str) -> FactoryAssessment {
        let index = self
            .inputs
            .factories
            .iter()
            .position(|f| f.id == id)
            .unwrap_or_else(|| panic!("no factory {id}"));
        self.assess().factories.swap_remove(index)
    }

    /// One criterion's result for the factory with this id.
    pub fn result(&self, id: &str, criterion: Criterion) -> CriterionResult {
        let a = self.of(id);
        a.results
            .into_iter()
            .find(|r| r.criterion == criterion)
            .unwrap_or_else(|| panic!("no result for {criterion:?}"))
    }
}

/**
 * The static part of a synthetic region: institutions of several levels, their cost centers
 * (departments in the four categories of 《公立医院成本核算规范》) and practitioners.
 * Clinical departments carry the 科室代码 of the 医保结算清单 (诊疗科目 codes, e.g. A03.04 心血管内科).
 */
import type { CostCenterCategory, Department, Institution, InstitutionLevel, Practitioner } from '../domain/index.js';
import type { Prng } from './prng.js';

export interface DeptSpec {
  code: string; // 科室代码 for clinical, a local key otherwise
  name: string;
  category: CostCenterCategory;
  /** grouping center (大科) whose children carry the patients */
  group?: boolean;
  parent?: string;
  beds: number;
}

const C = (code: string, name: string, beds: number, parent?: string, group = false): DeptSpec => ({ code, name, category: 'clinical', beds, parent, group });
const O = (code: string, name: string, category: CostCenterCategory): DeptSpec => ({ code, name, category, beds: 0 });

const LEVEL3: DeptSpec[] = [
  C('A03', '内科', 0, undefined, true),
  C('A03.01', '呼吸内科', 45, 'A03'),
  C('A03.02', '消化内科', 40, 'A03'),
  C('A03.03', '神经内科', 45, 'A03'),
  C('A03.04', '心血管内科', 50, 'A03'),
  C('A03.06', '肾病学专业', 30, 'A03'),
  C('A03.07', '内分泌专业', 30, 'A03'),
  C('A04', '外科', 0, undefined, true),
  C('A04.01', '普通外科', 50, 'A04'),
  C('A04.03', '骨科', 45, 'A04'),
  C('A04.04', '泌尿外科', 30, 'A04'),
  C('A04.05', '胸外科', 25, 'A04'),
  C('A05', '妇产科', 0, undefined, true),
  C('A05.01', '妇科', 30, 'A05'),
  C('A05.02', '产科', 35, 'A05'),
  C('A07', '儿科', 35),
  C('A10', '眼科', 20),
  C('A11', '耳鼻咽喉科', 20),
  C('A13', '皮肤科', 10),
  C('A19', '肿瘤科', 40),
  C('A20', '急诊医学科', 15),
  C('A28', '重症医学科', 16),
  O('MT-LAB', '医学检验科', 'medical-technical'),
  O('MT-IMG', '医学影像科', 'medical-technical'),
  O('MT-PATH', '病理科', 'medical-technical'),
  O('MT-OR', '手术麻醉科', 'medical-technical'),
  O('SP-PHARM', '药剂科', 'medical-support'),
  O('SP-CSSD', '消毒供应中心', 'medical-support'),
  O('SP-MR', '病案统计室', 'medical-support'),
  O('SP-CASH', '门诊住院收费处', 'medical-support'),
  O('AD-OFFICE', '院办公室', 'administrative'),
  O('AD-MED', '医务科', 'administrative'),
  O('AD-FIN', '财务科', 'administrative'),
  O('AD-LOG', '后勤保障科', 'administrative'),
  O('AD-IT', '信息中心', 'administrative'),
];

const LEVEL2: DeptSpec[] = [
  C('A03', '内科', 80),
  C('A04', '外科', 60),
  C('A04.03', '骨科', 35),
  C('A05', '妇产科', 40),
  C('A07', '儿科', 30),
  C('A10', '眼科', 12),
  C('A11', '耳鼻咽喉科', 12),
  C('A20', '急诊医学科', 10),
  O('MT-LAB', '医学检验科', 'medical-technical'),
  O('MT-IMG', '医学影像科', 'medical-technical'),
  O('MT-OR', '手术麻醉科', 'medical-technical'),
  O('SP-PHARM', '药剂科', 'medical-support'),
  O('SP-CSSD', '消毒供应中心', 'medical-support'),
  O('SP-CASH', '收费处', 'medical-support'),
  O('AD-OFFICE', '院办公室', 'administrative'),
  O('AD-FIN', '财务科', 'administrative'),
  O('AD-LOG', '后勤保障科', 'administrative'),
];

const LEVEL1: DeptSpec[] = [
  C('A02', '全科医疗科', 20),
  C('A03', '内科', 30),
  C('A04', '外科', 20),
  C('A50', '中医科', 10),
  O('MT-LABIMG', '检验影像科', 'medical-technical'),
  O('SP-PHARM', '药房', 'medical-support'),
  O('AD-OFFICE', '综合办公室', 'administrative'),
];

const PRIMARY_CARE: DeptSpec[] = [
  C('A02', '全科医疗科', 0),
  C('A01', '预防保健科', 0),
  C('A50', '中医科', 0),
  O('MT-LAB', '检验科', 'medical-technical'),
  O('SP-PHARM', '药房', 'medical-support'),
  O('AD-OFFICE', '综合办公室', 'administrative'),
];

const INTERNET: DeptSpec[] = [
  C('A03', '内科（互联网诊疗）', 0),
  C('A02', '全科医疗科（互联网诊疗）', 0),
  O('SP-PHARM', '药事服务中心', 'medical-support'),
  O('AD-OFFICE', '互联网医院办公室', 'administrative'),
];

export interface RegionDept extends Department {
  index: number; // global department index
  institutionIndex: number;
  spec: DeptSpec;
  doctors: number[]; // global doctor indices
}

export interface RegionInstitution extends Institution {
  index: number;
  levelNum: 1 | 2 | 3;
  departments: RegionDept[];
  byCode: Map<string, RegionDept>;
}

export interface RegionStatic {
  institutions: RegionInstitution[];
  departments: RegionDept[];
  practitioners: Practitioner[];
  /** practitioner index → department index (doctors only are listed in RegionDept.doctors) */
  doctorDept: number[];
}

const ORDINALS = ['第一', '第二', '第三', '第四', '第五', '第六', '第七', '第八', '第九', '第十'];
const ordinal = (i: number): string => ORDINALS[i] ?? `第${i + 1}`;

/** Build institutions, departments and practitioners. `scale` ≥ 1 multiplies doctors for large regions. */
export function buildRegionStatic(rng: Prng, hospitals: number, regionCode: string, scale: number): RegionStatic {
  const institutions: RegionInstitution[] = [];
  const departments: RegionDept[] = [];
  const practitioners: Practitioner[] = [];
  const doctorDept: number[] = [];
  const pattern: (1 | 2 | 3)[] = [3, 2, 1];
  const counters = { 1: 0, 2: 0, 3: 0 };
  const instSpecs: { name: string; level: 1 | 2 | 3; kind: Institution['kind']; depts: DeptSpec[] }[] = [];
  for (let i = 0; i < hospitals; i++) {
    const level = pattern[i % 3]!;
    const n = counters[level]++;
    const name = level === 3 ? `示例市${ordinal(n)}人民医院` : level === 2 ? `示例市${ordinal(n)}区人民医院` : `示例市${ordinal(n)}镇卫生院`;
    instSpecs.push({ name, level, kind: 'hospital', depts: level === 3 ? LEVEL3 : level === 2 ? LEVEL2 : LEVEL1 });
  }
  instSpecs.push({ name: '示例市城东社区卫生服务中心', level: 1, kind: 'primary-care', depts: PRIMARY_CARE });
  instSpecs.push({ name: `${instSpecs[0]?.name ?? '示例市'}互联网医院`, level: 3, kind: 'internet-hospital', depts: INTERNET });

  const doctorsBase = { 3: 7, 2: 5, 1: 3 };
  for (const [i, s] of instSpecs.entries()) {
    const inst: RegionInstitution = {
      id: `H${regionCode}${String(i + 1).padStart(5, '0')}`,
      name: s.name,
      level: String(s.level) as InstitutionLevel,
      kind: s.kind,
      regionCode,
      index: i,
      levelNum: s.level,
      departments: [],
      byCode: new Map(),
    };
    institutions.push(inst);
    for (const [j, d] of s.depts.entries()) {
      const clinical = d.category === 'clinical';
      const nDoctors = clinical && !d.group ? Math.max(2, Math.round(doctorsBase[s.level] * scale * (s.kind === 'hospital' ? 1 : 0.8))) : 0;
      const nNurses = clinical && !d.group ? Math.round(d.beds * 0.4) + 2 : 0;
      const others = clinical ? (d.group ? 2 : 1) : d.category === 'administrative' ? rng.int(4, 12) : rng.int(6, 20);
      const staffCount = nDoctors + nNurses + others;
      const dept: RegionDept = {
        id: `${inst.id}-${String(j + 1).padStart(3, '0')}`,
        institutionId: inst.id,
        name: d.name,
        deptCode: clinical ? d.code : '',
        costCategory: d.category,
        parentId: '',
        staffCount,
        floorAreaM2: d.beds * 30 + staffCount * 9 + (d.category === 'medical-technical' ? 400 : 60),
        beds: d.beds,
        index: departments.length,
        institutionIndex: i,
        spec: d,
        doctors: [],
      };
      departments.push(dept);
      inst.departments.push(dept);
      inst.byCode.set(d.code, dept);
      const titles: Practitioner['title'][] = ['resident', 'attending', 'attending', 'associate-chief', 'chief'];
      for (let k = 0; k < nDoctors; k++) {
        dept.doctors.push(practitioners.length);
        doctorDept.push(dept.index);
        practitioners.push({ id: `D${regionCode}${String(practitioners.length + 1).padStart(5, '0')}`, institutionId: inst.id, departmentId: dept.id, title: titles[k % titles.length]! });
      }
      const staffTitle: Practitioner['title'] | undefined =
        d.category === 'medical-technical' ? 'technician' : d.code === 'SP-PHARM' ? 'pharmacist' : clinical && !d.group ? 'nurse' : undefined;
      const nStaff = staffTitle === 'nurse' ? Math.min(nNurses, 6) : staffTitle ? Math.min(others, 4) : 0;
      for (let k = 0; k < nStaff; k++) {
        doctorDept.push(dept.index);
        practitioners.push({ id: `D${regionCode}${String(practitioners.length + 1).padStart(5, '0')}`, institutionId: inst.id, departmentId: dept.id, title: staffTitle! });
      }
    }
    for (const dept of inst.departments) if (dept.spec.parent) dept.parentId = inst.byCode.get(dept.spec.parent)?.id ?? '';
  }
  return { institutions, departments, practitioners, doctorDept };
}

/** First department of the institution matching the preference list that has doctors. */
export function resolveDept(inst: RegionInstitution, prefs: readonly string[]): RegionDept | undefined {
  for (const code of prefs) {
    const d = inst.byCode.get(code);
    if (d && d.doctors.length > 0) return d;
  }
  return undefined;
}

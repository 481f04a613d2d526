-- A case database made by forage at commit 01bb98b (schema version 1,
-- before verification_hashes had 'what' and 'source'): an odd-size E01
-- acquired with --verify into case C1, then 'forage verify --case C1'.
-- Made with: sqlite3 case.db .dump; the pragmas at the end are what
-- .dump leaves out.  t0515-casedb-migrate-v1.sh loads it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE cases(
  case_id TEXT PRIMARY KEY NOT NULL CHECK(length(case_id) > 0),
  description TEXT,
  created_utc TEXT NOT NULL,
  examiner TEXT NOT NULL);
INSERT INTO cases VALUES('C1',NULL,'2026-11-25T16:28:43Z','Old Version');
CREATE TABLE evidence(
  case_id TEXT NOT NULL REFERENCES cases(case_id),
  evidence_id TEXT NOT NULL CHECK(length(evidence_id) > 0),
  description TEXT,
  created_utc TEXT NOT NULL,
  examiner TEXT NOT NULL,
  PRIMARY KEY(case_id, evidence_id));
INSERT INTO evidence VALUES('C1','ODD',NULL,'2026-11-25T16:28:43Z','Old Version');
CREATE TABLE acquisitions(
  id INTEGER PRIMARY KEY,
  case_id TEXT REFERENCES cases(case_id),
  evidence_id TEXT,
  examiner TEXT NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('running', 'success',
    'completed with errors', 'failed', 'interrupted')),
  exit_code INTEGER,
  message TEXT,
  started_utc TEXT NOT NULL,
  finished_utc TEXT,
  duration_seconds INTEGER,
  tool_name TEXT,
  tool_version TEXT,
  host TEXT,
  pid INTEGER,
  boot_id TEXT,
  proc_start INTEGER,
  command_line TEXT,
  source_path TEXT,
  source_kind TEXT,
  source_size INTEGER,
  source_total_size INTEGER,
  source_offset INTEGER,
  logical_sector_size INTEGER,
  physical_sector_size INTEGER,
  model TEXT,
  serial TEXT,
  format TEXT,
  parameters TEXT,
  write_block TEXT,
  no_write_block INTEGER,
  bytes INTEGER,
  sectors_filled INTEGER,
  record_start TEXT,
  record_final TEXT,
  FOREIGN KEY(case_id, evidence_id)
    REFERENCES evidence(case_id, evidence_id));
INSERT INTO acquisitions VALUES(1,'C1','ODD','Old Version','success',0,NULL,'2026-11-25T16:28:43Z','2026-11-25T16:28:43Z',0,'forage','0.1.0','vm',26976,'55d65b42-3a86-4284-af8b-46a2773a4a25',34693120,'/work/wt/vhwhat/build/src/forage acquire odd.bin -o o/ODD --format e01 --verify --case C1 --evidence ODD --progress none','odd.bin','file',300001,300001,0,512,512,NULL,NULL,'e01','{"format":"e01","hashes":"md5,sha256","block_size":1048576,"retries":3,"fill_byte":0,"segment_size":0,"compression":"fast","ewf_format":"encase6","offset":0,"length":0,"hash_window":0,"verify":true,"verify_source":false,"no_write_block":false,"second_output":null,"mapfile":null,"resume":false}','{"applicable":false,"state":"not a block device: source opened read-only, no kernel flag applies"}',0,300001,0,replace('{\n  "record_format": "forage-acquisition-1",\n  "tool": {\n    "name": "forage",\n    "version": "0.1.0"\n  },\n  "run": {\n    "host": "vm",\n    "command_line": "/work/wt/vhwhat/build/src/forage acquire odd.bin -o o/ODD --format e01 --verify --case C1 --evidence ODD --progress none",\n    "working_directory": "/tmp/v1gen",\n    "started_utc": "2026-11-25T16:28:43Z",\n    "finished_utc": null\n  },\n  "case": {\n    "case_id": "C1",\n    "evidence_id": "ODD",\n    "examiner": "Old Version",\n    "description": null,\n    "notes": null\n  },\n  "parameters": {\n    "format": "e01",\n    "hashes": "md5,sha256",\n    "block_size": 1048576,\n    "retries": 3,\n    "fill_byte": 0,\n    "segment_size": 0,\n    "compression": "fast",\n    "ewf_format": "encase6",\n    "offset": 0,\n    "length": 0,\n    "hash_window": 0,\n    "verify": true,\n    "verify_source": false,\n    "no_write_block": false,\n    "second_output": null,\n    "mapfile": null,\n    "resume": false\n  },\n  "result": {\n    "status": "running"\n  },\n  "source": {\n    "path": "odd.bin",\n    "kind": "file",\n    "total_size": 300001,\n    "offset": 0,\n    "size": 300001,\n    "logical_sector_size": 512,\n    "physical_sector_size": 512,\n    "inode": 10953234,\n    "device_number": 65024,\n    "content_bytes_examined": 65536,\n    "content": "data"\n  },\n  "write_block": {\n    "applicable": false,\n    "state": "not a block device: source opened read-only, no kernel flag applies"\n  },\n  "case_db": {\n    "path": "/tmp/v1gen/o/case.db"\n  }\n}','\n',char(10)),replace('{\n  "record_format": "forage-acquisition-1",\n  "tool": {\n    "name": "forage",\n    "version": "0.1.0"\n  },\n  "run": {\n    "host": "vm",\n    "command_line": "/work/wt/vhwhat/build/src/forage acquire odd.bin -o o/ODD --format e01 --verify --case C1 --evidence ODD --progress none",\n    "working_directory": "/tmp/v1gen",\n    "started_utc": "2026-11-25T16:28:43Z",\n    "finished_utc": "2026-11-25T16:28:43Z",\n    "duration_seconds": 0\n  },\n  "case": {\n    "case_id": "C1",\n    "evidence_id": "ODD",\n    "examiner": "Old Version",\n    "description": null,\n    "notes": null\n  },\n  "parameters": {\n    "format": "e01",\n    "hashes": "md5,sha256",\n    "block_size": 1048576,\n    "retries": 3,\n    "fill_byte": 0,\n    "segment_size": 0,\n    "compression": "fast",\n    "ewf_format": "encase6",\n    "offset": 0,\n    "length": 0,\n    "hash_window": 0,\n    "verify": true,\n    "verify_source": false,\n    "no_write_block": false,\n    "second_output": null,\n    "mapfile": null,\n    "resume": false\n  },\n  "result": {\n    "status": "success",\n    "exit_code": 0,\n    "message": null\n  },\n  "source": {\n    "path": "odd.bin",\n    "kind": "file",\n    "total_size": 300001,\n    "offset": 0,\n    "size": 300001,\n    "logical_sector_size": 512,\n    "physical_sector_size": 512,\n    "inode": 10953234,\n    "device_number": 65024,\n    "content_bytes_examined": 65536,\n    "content": "data"\n  },\n  "write_block": {\n    "applicable": false,\n    "state": "not a block device: source opened read-only, no kernel flag applies"\n  },\n  "case_db": {\n    "path": "/tmp/v1gen/o/case.db",\n    "acquisition_id": 1,\n    "started_event": 3,\n    "started_event_sha256": "04519186b93d99e341abb1038c87061806a64c5bbd56d2d42c21b56c6f4dbd24"\n  },\n  "reading": {\n    "bytes": 300001,\n    "sectors_read": 586,\n    "sectors_filled": 0,\n    "retries": 0,\n    "bad_ranges": 0,\n    "mode": "in order: a failed block is split into sectors where it is met",\n    "bytes_not_read": 0,\n    "read_errors": 0\n  },\n  "hashes": {\n    "computed": "while reading, in one pass",\n    "md5": "b4961d3373e2196713c5f19b5379eea8",\n    "sha256": "1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b",\n    "over": "the bytes written to the image, in order, fill included",\n    "bytes": 300001,\n    "e01_padded": {\n      "over": "the media followed by zero bytes up to a whole sector, as the E01 stores it",\n      "bytes": 300032,\n      "md5": "d5f5d6a1da87b99bfe0ed2f72d2c7f72",\n      "sha256": "b7812e23e1eaf69f435489f290719329cfe2c62059ac46a46cf4429c93f9ab40"\n    }\n  },\n  "outputs": [\n    {\n      "path": "/tmp/v1gen/o/ODD.E01",\n      "size": 303635,\n      "md5": "b33787a37c5cb6aa3cc3cc00ad89844c",\n      "sha256": "5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb"\n    }\n  ],\n  "container": {\n    "format": "e01",\n    "ewf_format": "encase6",\n    "set_identifier": "13f47847-fd62-4f73-b190-a0e58ffb9bc3",\n    "libewf_version": "20140813",\n    "segment_files": 1,\n    "segment_files_hashed_while_writing": 0,\n    "segment_size_limit": 1610612736,\n    "bytes_per_sector": 512,\n    "sectors_per_chunk": 64,\n    "media_size": 300032,\n    "padding_bytes": 31,\n    "media_type": "fixed",\n    "physical": false,\n    "compression": "fast",\n    "compressor": "ISA-L igzip",\n    "compression_threads": 2,\n    "hashes_stored": "MD5",\n    "acquiry_errors": 0\n  },\n  "verification": {\n    "status": "verified",\n    "method": "re-read of the written evidence files after they were final",\n    "page_cache_bypass": "fsync and posix_fadvise(DONTNEED) before reading",\n    "started_utc": "2026-11-25T16:28:43Z",\n    "finished_utc": "2026-11-25T16:28:43Z",\n    "md5": "b4961d3373e2196713c5f19b5379eea8",\n    "sha256": "1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b",\n    "bytes": 300001,\n    "checks": [\n      {\n        "what": "media, first 300001 bytes",\n        "algorithm": "md5",\n        "expected": "b4961d3373e2196713c5f19b5379eea8",\n        "computed": "b4961d3373e2196713c5f19b5379eea8",\n        "source": "the acquisition''s own digest",\n        "result": "match"\n      },\n      {\n        "what": "media, first 300001 bytes",\n        "algorithm": "sha256",\n        "expected": "1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b",\n        "computed": "1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b",\n        "source": "the acquisition''s own digest",\n        "result": "match"\n      },\n      {\n        "what": "media",\n        "algorithm": "md5",\n        "expected": "d5f5d6a1da87b99bfe0ed2f72d2c7f72",\n        "computed": "d5f5d6a1da87b99bfe0ed2f72d2c7f72",\n        "source": "the image ODD.E01 (the hash stored in it)",\n        "result": "match"\n      },\n      {\n        "what": "sector padding",\n        "algorithm": null,\n        "expected": "zeros after byte 300001",\n        "computed": "31 zero bytes",\n        "source": "EWF stores whole sectors",\n        "result": "match"\n      }\n    ],\n    "message": null\n  }\n}','\n',char(10)));
CREATE TABLE outputs(
  id INTEGER PRIMARY KEY,
  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  md5 TEXT,
  sha256 TEXT);
INSERT INTO outputs VALUES(1,1,'/tmp/v1gen/o/ODD.E01',303635,'b33787a37c5cb6aa3cc3cc00ad89844c','5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb');
CREATE TABLE media_hashes(
  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),
  algorithm TEXT NOT NULL CHECK(algorithm IN ('md5', 'sha1',
    'sha256')),
  hex TEXT NOT NULL,
  PRIMARY KEY(acquisition_id, algorithm));
INSERT INTO media_hashes VALUES(1,'md5','b4961d3373e2196713c5f19b5379eea8');
INSERT INTO media_hashes VALUES(1,'sha256','1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b');
CREATE TABLE hash_windows(
  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),
  algorithm TEXT NOT NULL,
  idx INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL,
  hex TEXT NOT NULL,
  PRIMARY KEY(acquisition_id, algorithm, idx));
CREATE TABLE bad_ranges(
  id INTEGER PRIMARY KEY,
  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),
  first_lba INTEGER NOT NULL,
  count INTEGER NOT NULL CHECK(count > 0));
CREATE TABLE verifications(
  id INTEGER PRIMARY KEY,
  acquisition_id INTEGER REFERENCES acquisitions(id),
  case_id TEXT,
  evidence_id TEXT,
  examiner TEXT NOT NULL,
  started_utc TEXT NOT NULL,
  finished_utc TEXT NOT NULL,
  target TEXT,
  method TEXT,
  result TEXT NOT NULL CHECK(result IN ('match', 'mismatch',
    'error')),
  exit_code INTEGER,
  message TEXT,
  record TEXT);
INSERT INTO verifications VALUES(1,1,'C1','ODD','Old Version','2026-11-25T16:28:43Z','2026-11-25T16:28:43Z','/tmp/v1gen/o/ODD.E01','forage 0.1.0 acquire --verify: re-read of the written evidence files after they were final; page cache: fsync and posix_fadvise(DONTNEED) before reading','match',0,NULL,replace('{\n  "status": "verified",\n  "method": "re-read of the written evidence files after they were final",\n  "page_cache_bypass": "fsync and posix_fadvise(DONTNEED) before reading",\n  "started_utc": "2026-11-25T16:28:43Z",\n  "finished_utc": "2026-11-25T16:28:43Z",\n  "md5": "b4961d3373e2196713c5f19b5379eea8",\n  "sha256": "1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b",\n  "bytes": 300001,\n  "checks": [\n    {\n      "what": "media, first 300001 bytes",\n      "algorithm": "md5",\n      "expected": "b4961d3373e2196713c5f19b5379eea8",\n      "computed": "b4961d3373e2196713c5f19b5379eea8",\n      "source": "the acquisition''s own digest",\n      "result": "match"\n    },\n    {\n      "what": "media, first 300001 bytes",\n      "algorithm": "sha256",\n      "expected": "1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b",\n      "computed": "1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b",\n      "source": "the acquisition''s own digest",\n      "result": "match"\n    },\n    {\n      "what": "media",\n      "algorithm": "md5",\n      "expected": "d5f5d6a1da87b99bfe0ed2f72d2c7f72",\n      "computed": "d5f5d6a1da87b99bfe0ed2f72d2c7f72",\n      "source": "the image ODD.E01 (the hash stored in it)",\n      "result": "match"\n    },\n    {\n      "what": "sector padding",\n      "algorithm": null,\n      "expected": "zeros after byte 300001",\n      "computed": "31 zero bytes",\n      "source": "EWF stores whole sectors",\n      "result": "match"\n    }\n  ],\n  "message": null\n}','\n',char(10)));
INSERT INTO verifications VALUES(2,1,'C1','ODD','Old Version','2026-11-25T16:28:43Z','2026-11-25T16:28:43Z','/tmp/v1gen/o/ODD.E01','forage 0.1.0 verify: EWF (EnCase 6) through libewf 20140813; page cache: none','match',0,NULL,replace('{\n  "record_format": "forage-verification-1",\n  "tool": {\n    "name": "forage",\n    "version": "0.1.0"\n  },\n  "run": {\n    "host": "vm",\n    "examiner": "Old Version",\n    "command_line": "/work/wt/vhwhat/build/src/forage verify --case C1 --case-db o/case.db --progress none",\n    "started_utc": "2026-11-25T16:28:43Z",\n    "finished_utc": "2026-11-25T16:28:43Z"\n  },\n  "input": "/tmp/v1gen/o/ODD.E01",\n  "record": "the case database case.db, acquisition 1",\n  "image": {\n    "kind": "EWF",\n    "format": "EWF (EnCase 6) through libewf 20140813",\n    "content": "forage acquisition record from the case database case.db, acquisition 1",\n    "media_size": 300032,\n    "sector_size": 512,\n    "chunk_size": 32768,\n    "page_cache_bypass": "none",\n    "files": [\n      {\n        "path": "/tmp/v1gen/o/ODD.E01",\n        "size": 303635\n      }\n    ],\n    "metadata": {\n      "case_number": "C1",\n      "evidence_number": "ODD",\n      "examiner_name": "Old Version",\n      "acquiry_date": "2026-11-25T16:28:43",\n      "system_date": "2026-11-25T16:28:43",\n      "acquiry_operating_system": "Linux 6.18.44-fc-v595",\n      "acquiry_software_version": "0.1.0"\n    }\n  },\n  "computed": {\n    "md5": "d5f5d6a1da87b99bfe0ed2f72d2c7f72",\n    "sha1": null,\n    "sha256": "b7812e23e1eaf69f435489f290719329cfe2c62059ac46a46cf4429c93f9ab40",\n    "bytes": 300032\n  },\n  "checks": [\n    {\n      "what": "media",\n      "algorithm": "md5",\n      "expected": "d5f5d6a1da87b99bfe0ed2f72d2c7f72",\n      "computed": "d5f5d6a1da87b99bfe0ed2f72d2c7f72",\n      "source": "the image ODD.E01 (the hash stored in it)",\n      "result": "match"\n    },\n    {\n      "what": "media, first 300001 bytes",\n      "algorithm": "md5",\n      "expected": "b4961d3373e2196713c5f19b5379eea8",\n      "computed": "b4961d3373e2196713c5f19b5379eea8",\n      "source": "the case database case.db, acquisition 1 (hashes.md5)",\n      "result": "match"\n    },\n    {\n      "what": "media, first 300001 bytes",\n      "algorithm": "sha256",\n      "expected": "1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b",\n      "computed": "1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b",\n      "source": "the case database case.db, acquisition 1 (hashes.sha256)",\n      "result": "match"\n    },\n    {\n      "what": "media",\n      "algorithm": "md5",\n      "expected": "d5f5d6a1da87b99bfe0ed2f72d2c7f72",\n      "computed": "d5f5d6a1da87b99bfe0ed2f72d2c7f72",\n      "source": "the case database case.db, acquisition 1 (hashes.e01_padded.md5)",\n      "result": "match"\n    },\n    {\n      "what": "media",\n      "algorithm": "sha256",\n      "expected": "b7812e23e1eaf69f435489f290719329cfe2c62059ac46a46cf4429c93f9ab40",\n      "computed": "b7812e23e1eaf69f435489f290719329cfe2c62059ac46a46cf4429c93f9ab40",\n      "source": "the case database case.db, acquisition 1 (hashes.e01_padded.sha256)",\n      "result": "match"\n    },\n    {\n      "what": "sector padding",\n      "algorithm": null,\n      "expected": "zeros after byte 300001",\n      "computed": "31 zero bytes",\n      "source": "EWF stores whole sectors",\n      "result": "match"\n    },\n    {\n      "what": "size of ODD.E01",\n      "algorithm": null,\n      "expected": "303635",\n      "computed": "303635",\n      "source": "the case database case.db, acquisition 1 (outputs)",\n      "result": "match"\n    },\n    {\n      "what": "file ODD.E01",\n      "algorithm": "md5",\n      "expected": "b33787a37c5cb6aa3cc3cc00ad89844c",\n      "computed": "not recomputed: the SHA-256 of the same file matches, and this is the MD5 the record holds for it",\n      "source": "the case database case.db, acquisition 1 (outputs)",\n      "result": "not needed"\n    },\n    {\n      "what": "file ODD.E01",\n      "algorithm": "sha256",\n      "expected": "5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb",\n      "computed": "5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb",\n      "source": "the case database case.db, acquisition 1 (outputs)",\n      "result": "match"\n    },\n    {\n      "what": "file ODD.E01",\n      "algorithm": "md5",\n      "expected": "b33787a37c5cb6aa3cc3cc00ad89844c",\n      "computed": "not recomputed: the SHA-256 of the same file matches, and this is the MD5 the record holds for it",\n      "source": "the checksum file ODD.md5, line 1",\n      "result": "not needed"\n    },\n    {\n      "what": "file ODD.E01",\n      "algorithm": "sha256",\n      "expected": "5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb",\n      "computed": "5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb",\n      "source": "the checksum file ODD.sha256, line 1",\n      "result": "match"\n    }\n  ],\n  "chunks": 10,\n  "damaged_bytes": 0,\n  "unreadable_bytes": 0,\n  "result": {\n    "status": "verified",\n    "exit_code": 0,\n    "message": null\n  }\n}','\n',char(10)));
CREATE TABLE verification_hashes(
  id INTEGER PRIMARY KEY,
  verification_id INTEGER NOT NULL REFERENCES verifications(id),
  file TEXT,
  algorithm TEXT NOT NULL,
  expected TEXT,
  computed TEXT,
  match INTEGER NOT NULL);
INSERT INTO verification_hashes VALUES(1,1,NULL,'md5','b4961d3373e2196713c5f19b5379eea8','b4961d3373e2196713c5f19b5379eea8',1);
INSERT INTO verification_hashes VALUES(2,1,NULL,'sha256','1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b','1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b',1);
INSERT INTO verification_hashes VALUES(3,1,NULL,'md5','d5f5d6a1da87b99bfe0ed2f72d2c7f72','d5f5d6a1da87b99bfe0ed2f72d2c7f72',1);
INSERT INTO verification_hashes VALUES(4,2,NULL,'md5','d5f5d6a1da87b99bfe0ed2f72d2c7f72','d5f5d6a1da87b99bfe0ed2f72d2c7f72',1);
INSERT INTO verification_hashes VALUES(5,2,NULL,'md5','b4961d3373e2196713c5f19b5379eea8','b4961d3373e2196713c5f19b5379eea8',1);
INSERT INTO verification_hashes VALUES(6,2,NULL,'sha256','1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b','1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b',1);
INSERT INTO verification_hashes VALUES(7,2,NULL,'md5','d5f5d6a1da87b99bfe0ed2f72d2c7f72','d5f5d6a1da87b99bfe0ed2f72d2c7f72',1);
INSERT INTO verification_hashes VALUES(8,2,NULL,'sha256','b7812e23e1eaf69f435489f290719329cfe2c62059ac46a46cf4429c93f9ab40','b7812e23e1eaf69f435489f290719329cfe2c62059ac46a46cf4429c93f9ab40',1);
INSERT INTO verification_hashes VALUES(9,2,'ODD.E01','md5','b33787a37c5cb6aa3cc3cc00ad89844c','not recomputed: the SHA-256 of the same file matches, and this is the MD5 the record holds for it',0);
INSERT INTO verification_hashes VALUES(10,2,'ODD.E01','sha256','5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb','5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb',1);
INSERT INTO verification_hashes VALUES(11,2,'ODD.E01','md5','b33787a37c5cb6aa3cc3cc00ad89844c','not recomputed: the SHA-256 of the same file matches, and this is the MD5 the record holds for it',0);
INSERT INTO verification_hashes VALUES(12,2,'ODD.E01','sha256','5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb','5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb',1);
CREATE TABLE verification_diffs(
  id INTEGER PRIMARY KEY,
  verification_id INTEGER NOT NULL REFERENCES verifications(id),
  file TEXT,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL,
  what TEXT);
CREATE TABLE custody(
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL,
  evidence_id TEXT NOT NULL,
  utc TEXT NOT NULL,
  examiner TEXT NOT NULL,
  action TEXT NOT NULL CHECK(action IN ('received', 'transferred',
    'checked-out', 'checked-in', 'stored', 'returned',
    'disposed')),
  from_party TEXT,
  to_party TEXT,
  location TEXT,
  reason TEXT,
  FOREIGN KEY(case_id, evidence_id)
    REFERENCES evidence(case_id, evidence_id));
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  utc TEXT NOT NULL,
  kind TEXT NOT NULL,
  examiner TEXT NOT NULL,
  case_id TEXT,
  evidence_id TEXT,
  subject_id INTEGER,
  details TEXT NOT NULL,
  prev_sha256 TEXT NOT NULL,
  sha256 TEXT NOT NULL);
INSERT INTO events VALUES(1,'2026-11-25T16:28:43Z','case-created','Old Version','C1',NULL,NULL,'{"case_id":"C1","created_utc":"2026-11-25T16:28:43Z","description":null,"examiner":"Old Version"}','0000000000000000000000000000000000000000000000000000000000000000','01e21d2239d672ea6d663d559dd8f0c53e46258968260f34d9b45c569a6cec78');
INSERT INTO events VALUES(2,'2026-11-25T16:28:43Z','evidence-added','Old Version','C1','ODD',NULL,'{"case_id":"C1","created_utc":"2026-11-25T16:28:43Z","description":null,"evidence_id":"ODD","examiner":"Old Version"}','01e21d2239d672ea6d663d559dd8f0c53e46258968260f34d9b45c569a6cec78','499d242846797d5718d9d7f5d1a110b47b4a6dff7431d02377bf03650acf09cd');
INSERT INTO events VALUES(3,'2026-11-25T16:28:43Z','acquisition-started','Old Version','C1','ODD',1,'{"acquisition_id":1,"case_id":"C1","command_line":"/work/wt/vhwhat/build/src/forage acquire odd.bin -o o/ODD --format e01 --verify --case C1 --evidence ODD --progress none","evidence_id":"ODD","examiner":"Old Version","format":"e01","host":"vm","logical_sector_size":512,"model":null,"no_write_block":0,"parameters":"{\"format\":\"e01\",\"hashes\":\"md5,sha256\",\"block_size\":1048576,\"retries\":3,\"fill_byte\":0,\"segment_size\":0,\"compression\":\"fast\",\"ewf_format\":\"encase6\",\"offset\":0,\"length\":0,\"hash_window\":0,\"verify\":true,\"verify_source\":false,\"no_write_block\":false,\"second_output\":null,\"mapfile\":null,\"resume\":false}","physical_sector_size":512,"pid":26976,"record_start":{"sha256":"63d47984e7731f4576bfcc6a5fc79837a3d8db00eb71305369545ac28b56d4af"},"serial":null,"source_kind":"file","source_offset":0,"source_path":"odd.bin","source_size":300001,"source_total_size":300001,"started_utc":"2026-11-25T16:28:43Z","tool_name":"forage","tool_version":"0.1.0"}','499d242846797d5718d9d7f5d1a110b47b4a6dff7431d02377bf03650acf09cd','04519186b93d99e341abb1038c87061806a64c5bbd56d2d42c21b56c6f4dbd24');
INSERT INTO events VALUES(4,'2026-11-25T16:28:43Z','acquisition-completed','Old Version','C1','ODD',1,'{"acquisition_id":1,"bad_ranges":[],"bytes":300001,"duration_seconds":0,"exit_code":0,"finished_utc":"2026-11-25T16:28:43Z","hash_windows":null,"media_hashes":{"md5":"b4961d3373e2196713c5f19b5379eea8","sha256":"1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b"},"message":null,"outputs":[{"md5":"b33787a37c5cb6aa3cc3cc00ad89844c","path":"/tmp/v1gen/o/ODD.E01","sha256":"5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb","size":303635}],"record_final":{"sha256":"2442990f610a837122f196fc533bcb2517552d336142da5f88a47be78c589fe1"},"sectors_filled":0,"status":"success","write_block":"{\"applicable\":false,\"state\":\"not a block device: source opened read-only, no kernel flag applies\"}"}','04519186b93d99e341abb1038c87061806a64c5bbd56d2d42c21b56c6f4dbd24','31a010e526f77c35f686caae27f039cc5ffad273b4251cff3e80f0fe5903f635');
INSERT INTO events VALUES(5,'2026-11-25T16:28:43Z','verification','Old Version','C1','ODD',1,'{"acquisition_id":1,"case_id":"C1","diffs":[],"evidence_id":"ODD","examiner":"Old Version","exit_code":0,"finished_utc":"2026-11-25T16:28:43Z","hashes":[{"algorithm":"md5","computed":"b4961d3373e2196713c5f19b5379eea8","expected":"b4961d3373e2196713c5f19b5379eea8","file":null,"match":1},{"algorithm":"sha256","computed":"1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b","expected":"1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b","file":null,"match":1},{"algorithm":"md5","computed":"d5f5d6a1da87b99bfe0ed2f72d2c7f72","expected":"d5f5d6a1da87b99bfe0ed2f72d2c7f72","file":null,"match":1}],"message":null,"method":"forage 0.1.0 acquire --verify: re-read of the written evidence files after they were final; page cache: fsync and posix_fadvise(DONTNEED) before reading","record":{"sha256":"d38221f9933b40690e8d16198efbde64fcc848099d565006835d98f22874cd1c"},"result":"match","started_utc":"2026-11-25T16:28:43Z","target":"/tmp/v1gen/o/ODD.E01","verification_id":1}','31a010e526f77c35f686caae27f039cc5ffad273b4251cff3e80f0fe5903f635','a0de4434111f555876e40305017165f15d9a16e7b201b5451af3bca04a42b5cf');
INSERT INTO events VALUES(6,'2026-11-25T16:28:43Z','verification','Old Version','C1','ODD',2,'{"acquisition_id":1,"case_id":"C1","diffs":[],"evidence_id":"ODD","examiner":"Old Version","exit_code":0,"finished_utc":"2026-11-25T16:28:43Z","hashes":[{"algorithm":"md5","computed":"d5f5d6a1da87b99bfe0ed2f72d2c7f72","expected":"d5f5d6a1da87b99bfe0ed2f72d2c7f72","file":null,"match":1},{"algorithm":"md5","computed":"b4961d3373e2196713c5f19b5379eea8","expected":"b4961d3373e2196713c5f19b5379eea8","file":null,"match":1},{"algorithm":"sha256","computed":"1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b","expected":"1d165541351decb6c112a5366b52b7c65b8e255e445c33c03d2c6c3bd53ff62b","file":null,"match":1},{"algorithm":"md5","computed":"d5f5d6a1da87b99bfe0ed2f72d2c7f72","expected":"d5f5d6a1da87b99bfe0ed2f72d2c7f72","file":null,"match":1},{"algorithm":"sha256","computed":"b7812e23e1eaf69f435489f290719329cfe2c62059ac46a46cf4429c93f9ab40","expected":"b7812e23e1eaf69f435489f290719329cfe2c62059ac46a46cf4429c93f9ab40","file":null,"match":1},{"algorithm":"md5","computed":"not recomputed: the SHA-256 of the same file matches, and this is the MD5 the record holds for it","expected":"b33787a37c5cb6aa3cc3cc00ad89844c","file":"ODD.E01","match":0},{"algorithm":"sha256","computed":"5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb","expected":"5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb","file":"ODD.E01","match":1},{"algorithm":"md5","computed":"not recomputed: the SHA-256 of the same file matches, and this is the MD5 the record holds for it","expected":"b33787a37c5cb6aa3cc3cc00ad89844c","file":"ODD.E01","match":0},{"algorithm":"sha256","computed":"5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb","expected":"5372a7cc15a585f50e80ce44ee8a6127dc66d6adf2e820d27cb478100b6f80bb","file":"ODD.E01","match":1}],"message":null,"method":"forage 0.1.0 verify: EWF (EnCase 6) through libewf 20140813; page cache: none","record":{"sha256":"b6db6eb158ae852ac23a53f698c4c438ee5742889cf9ba461dafc00fbf32cc18"},"result":"match","started_utc":"2026-11-25T16:28:43Z","target":"/tmp/v1gen/o/ODD.E01","verification_id":2}','a0de4434111f555876e40305017165f15d9a16e7b201b5451af3bca04a42b5cf','b9bc3da12ea82273987f742f7b6156d6dd5d49357575252dc1146cb73989dfbf');
CREATE INDEX acquisitions_by_item ON acquisitions(case_id,
  evidence_id);
CREATE INDEX outputs_by_acq ON outputs(acquisition_id);
CREATE INDEX bad_ranges_by_acq ON bad_ranges(acquisition_id);
CREATE INDEX events_by_subject ON events(kind, subject_id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events is append-only: UPDATE refused'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events is append-only: DELETE refused'); END;
CREATE TRIGGER cases_no_update BEFORE UPDATE ON cases BEGIN SELECT RAISE(ABORT, 'cases is append-only: UPDATE refused'); END;
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases BEGIN SELECT RAISE(ABORT, 'cases is append-only: DELETE refused'); END;
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence BEGIN SELECT RAISE(ABORT, 'evidence is append-only: UPDATE refused'); END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence BEGIN SELECT RAISE(ABORT, 'evidence is append-only: DELETE refused'); END;
CREATE TRIGGER acquisitions_no_delete BEFORE DELETE ON acquisitions
  BEGIN SELECT RAISE(ABORT, 'acquisitions: DELETE refused'); END;
CREATE TRIGGER acquisitions_only_running_update BEFORE UPDATE ON
  acquisitions WHEN OLD.status IS NOT 'running' BEGIN
  SELECT RAISE(ABORT, 'acquisitions: a completed acquisition is
  never changed'); END;
CREATE TRIGGER outputs_no_change BEFORE INSERT ON outputs WHEN (SELECT status FROM acquisitions WHERE id = NEW.acquisition_id) IS NOT 'running' BEGIN SELECT RAISE(ABORT, 'outputs: the acquisition is not running'); END;
CREATE TRIGGER outputs_no_update BEFORE UPDATE ON outputs BEGIN SELECT RAISE(ABORT, 'outputs is append-only: UPDATE refused'); END;
CREATE TRIGGER outputs_no_delete BEFORE DELETE ON outputs BEGIN SELECT RAISE(ABORT, 'outputs is append-only: DELETE refused'); END;
CREATE TRIGGER media_hashes_no_change BEFORE INSERT ON media_hashes WHEN (SELECT status FROM acquisitions WHERE id = NEW.acquisition_id) IS NOT 'running' BEGIN SELECT RAISE(ABORT, 'media_hashes: the acquisition is not running'); END;
CREATE TRIGGER media_hashes_no_update BEFORE UPDATE ON media_hashes BEGIN SELECT RAISE(ABORT, 'media_hashes is append-only: UPDATE refused'); END;
CREATE TRIGGER media_hashes_no_delete BEFORE DELETE ON media_hashes BEGIN SELECT RAISE(ABORT, 'media_hashes is append-only: DELETE refused'); END;
CREATE TRIGGER hash_windows_no_change BEFORE INSERT ON hash_windows WHEN (SELECT status FROM acquisitions WHERE id = NEW.acquisition_id) IS NOT 'running' BEGIN SELECT RAISE(ABORT, 'hash_windows: the acquisition is not running'); END;
CREATE TRIGGER hash_windows_no_update BEFORE UPDATE ON hash_windows BEGIN SELECT RAISE(ABORT, 'hash_windows is append-only: UPDATE refused'); END;
CREATE TRIGGER hash_windows_no_delete BEFORE DELETE ON hash_windows BEGIN SELECT RAISE(ABORT, 'hash_windows is append-only: DELETE refused'); END;
CREATE TRIGGER bad_ranges_no_change BEFORE INSERT ON bad_ranges WHEN (SELECT status FROM acquisitions WHERE id = NEW.acquisition_id) IS NOT 'running' BEGIN SELECT RAISE(ABORT, 'bad_ranges: the acquisition is not running'); END;
CREATE TRIGGER bad_ranges_no_update BEFORE UPDATE ON bad_ranges BEGIN SELECT RAISE(ABORT, 'bad_ranges is append-only: UPDATE refused'); END;
CREATE TRIGGER bad_ranges_no_delete BEFORE DELETE ON bad_ranges BEGIN SELECT RAISE(ABORT, 'bad_ranges is append-only: DELETE refused'); END;
CREATE TRIGGER verifications_no_update BEFORE UPDATE ON verifications BEGIN SELECT RAISE(ABORT, 'verifications is append-only: UPDATE refused'); END;
CREATE TRIGGER verifications_no_delete BEFORE DELETE ON verifications BEGIN SELECT RAISE(ABORT, 'verifications is append-only: DELETE refused'); END;
CREATE TRIGGER verification_hashes_no_update BEFORE UPDATE ON verification_hashes BEGIN SELECT RAISE(ABORT, 'verification_hashes is append-only: UPDATE refused'); END;
CREATE TRIGGER verification_hashes_no_delete BEFORE DELETE ON verification_hashes BEGIN SELECT RAISE(ABORT, 'verification_hashes is append-only: DELETE refused'); END;
CREATE TRIGGER verification_diffs_no_update BEFORE UPDATE ON verification_diffs BEGIN SELECT RAISE(ABORT, 'verification_diffs is append-only: UPDATE refused'); END;
CREATE TRIGGER verification_diffs_no_delete BEFORE DELETE ON verification_diffs BEGIN SELECT RAISE(ABORT, 'verification_diffs is append-only: DELETE refused'); END;
CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody BEGIN SELECT RAISE(ABORT, 'custody is append-only: UPDATE refused'); END;
CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody BEGIN SELECT RAISE(ABORT, 'custody is append-only: DELETE refused'); END;
COMMIT;
PRAGMA user_version = 1;
PRAGMA application_id = 1179075650;

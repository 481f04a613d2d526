/*
 * record_keys.c - the one table of the keys forage's JSON documents hold
 * (see record_int.h), the look-up the setters make in it, and the JSON
 * Schemas in docs/schema/ generated from it.
 *
 * Adding a fact to a document is adding its line here first: the setters
 * refuse any other key, and `tests/unit/test_record --schema` prints the
 * schemas to commit (test_record checks that the committed ones are the
 * same).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "record/record_int.h"

#define ACQ FG_RDOC_ACQ
#define INF FG_RDOC_INFO
#define VER FG_RDOC_VERIFY
#define VLS FG_RDOC_VLIST
#define S   FG_RT_STR
#define I   FG_RT_INT
#define B   FG_RT_BOOL
#define N   FG_RT_NULL
#define O   FG_RT_OBJECT
#define A   FG_RT_ARRAY
#define R   FG_RT_REQUIRED

#define UTC    "utc"
#define MD5    "md5"
#define SHA1   "sha1"
#define SHA256 "sha256"

/* Which document, and the tool that wrote it: in every document but the
 * verify list. */
#define FORMAT(D, NAME)                                                        \
	{                                                                      \
		"record_format", D, S | R, "enum:" NAME,                       \
		    "which document this is, and its version"                  \
	}
#define TOOL(D)                                                                \
	{"tool", D, O | R, NULL, "the program that wrote this"},               \
	    {"tool.name", D, S | R, NULL, "its name (forage)"},                \
	{                                                                      \
		"tool.version", D, S | R, NULL, "its version"                  \
	}

/* Pages as a drive gave them, one object each by name, apart from what
 * was decoded from them. */
#define RAW_PAGES(P, D, WHAT)                                                  \
	{P, D, O, NULL, WHAT},                                                 \
	    {P ".*.from", D, S | R, NULL,                                      \
	     "the command (or the kernel's copy) that gave it"},               \
	    {P ".*.bytes", D, I | R, NULL, "its length in bytes"},             \
	    {P ".*.sha256", D, S | R, SHA256, "the SHA-256 of those bytes"},   \
	{                                                                      \
		P ".*.base64", D, S | R, NULL, "the bytes, base64"             \
	}

/* A drive's health at one moment (health.h). */
#define HEALTH(P, WHEN)                                                        \
	{P, ACQ, O, NULL, "the drive's health " WHEN},                         \
	    {P ".read_utc", ACQ, S | R, UTC, "when it was read"},              \
	    {P ".available", ACQ, B | R, NULL, "SMART / Health could be read"}, \
	    {P ".note", ACQ, S, NULL, "why not"},                              \
	    {P ".via", ACQ, S, NULL, "the commands that read it"},             \
	    {P ".notes[]", ACQ, S, NULL, "a part that could not be read"},     \
	    {P ".ata", ACQ, O, NULL, "ATA SMART"},                             \
	    {P ".ata.revision", ACQ, I, NULL, "SMART data structure revision"}, \
	    {P ".ata.attributes", ACQ, O, NULL,                                \
	     "the SMART attributes, by id"},                                   \
	    {P ".ata.attributes.*.id", ACQ, I | R, NULL, "the attribute id"},  \
	    {P ".ata.attributes.*.name", ACQ, S | N | R, NULL,                 \
	     "its common name; null when vendors differ"},                     \
	    {P ".ata.attributes.*.value", ACQ, I | R, NULL,                    \
	     "its normalised value"},                                          \
	    {P ".ata.attributes.*.worst", ACQ, I | R, NULL,                    \
	     "the worst normalised value"},                                    \
	    {P ".ata.attributes.*.raw", ACQ, I | R, NULL,                      \
	     "its raw value (48 bits)"},                                       \
	    {P ".ata.attributes.*.flags", ACQ, I | R, NULL,                    \
	     "its status flags"},                                              \
	    {P ".ata.error_count", ACQ, I, NULL,                               \
	     "errors the drive counted (summary SMART error log)"},            \
	    {P ".ata.error_log_index", ACQ, I, NULL,                           \
	     "the latest error log entry (0: none)"},                          \
	    {P ".nvme", ACQ, O, NULL, "NVMe SMART / Health Information"},      \
	    {P ".nvme.critical_warning", ACQ, I, NULL,                         \
	     "critical warning bits (0: none)"},                               \
	    {P ".nvme.temperature_kelvin", ACQ, I, NULL,                       \
	     "composite temperature"},                                         \
	    {P ".nvme.available_spare_percent", ACQ, I, NULL,                  \
	     "available spare"},                                               \
	    {P ".nvme.available_spare_threshold_percent", ACQ, I, NULL,        \
	     "its threshold"},                                                 \
	    {P ".nvme.percentage_used", ACQ, I, NULL,                          \
	     "life used, estimated"},                                          \
	    {P ".nvme.data_units_read", ACQ, I | N, NULL,                      \
	     "units of 512,000 bytes read; null when past 63 bits"},           \
	    {P ".nvme.data_units_written", ACQ, I | N, NULL,                   \
	     "units of 512,000 bytes written"},                                \
	    {P ".nvme.power_cycles", ACQ, I | N, NULL, "power cycles"},        \
	    {P ".nvme.power_on_hours", ACQ, I | N, NULL, "power-on hours"},    \
	    {P ".nvme.unsafe_shutdowns", ACQ, I | N, NULL,                     \
	     "unsafe shutdowns"},                                              \
	    {P ".nvme.media_errors", ACQ, I | N, NULL,                         \
	     "media and data integrity errors"},                               \
	    {P ".nvme.error_log_entries", ACQ, I | N, NULL,                    \
	     "error information log entries over the controller's life"},      \
	    {P ".nvme.error_information_entries", ACQ, I, NULL,                \
	     "entries holding an error in the Error Information log read"},    \
	    RAW_PAGES(P ".raw_pages", ACQ,                                     \
		      "the log pages as the drive gave them: "                 \
		      "smart_read_data, smart_error_log_summary, "             \
		      "nvme_smart_health, nvme_error_information")

/* The facts a source gives about itself: forage info and the record. */
#define SOURCE(D)                                                              \
	{"source", D, O | R, NULL, "what was read: the source"},               \
	    {"source.path", D, S | R, NULL, "the path given"},                 \
	    {"source.kind", D, S | R, NULL,                                    \
	     "block device, regular file, or another kind of source"},         \
	    {"source.total_size", D, I | R, NULL,                              \
	     "bytes in the whole source"},                                     \
	    {"source.offset", D, I | R, NULL,                                  \
	     "the first byte read (--offset)"},                                \
	    {"source.size", D, I | R, NULL, "bytes read from offset on"},      \
	    {"source.logical_sector_size", D, I | R, NULL,                     \
	     "the sector size reads are made in"},                             \
	    {"source.physical_sector_size", D, I | R, NULL,                    \
	     "the medium's own sector size"},                                  \
	    {"source.inode", D, I, NULL, "a file source's inode number"},      \
	    {"source.device_number", D, I, NULL, "a file source's st_dev"},    \
	    {"source.content", D, S | N, NULL,                                 \
	     "what libmagic sees in the first bytes; null when not known"},    \
	    {"source.content_note", D, S, NULL,                                \
	     "why the content is not known"},                                  \
	    {"source.content_bytes_examined", D, I, NULL,                      \
	     "bytes libmagic was shown"},                                      \
	    {"source.device.major", D, I, NULL, "the device's major number"},  \
	    {"source.device.minor", D, I, NULL, "the device's minor number"},  \
	    {"source.device.name", D, S, NULL, "the kernel's name (sdb)"},     \
	    {"source.device.sysfs_path", D, S, NULL,                           \
	     "the device's folder in /sys"},                                   \
	    {"source.partition.number", D, I, NULL,                            \
	     "a partition source: its number"},                                \
	    {"source.partition.disk", D, S, NULL,                              \
	     "a partition source: its whole disk"},                            \
	    {"source.partition.offset_bytes", D, I, NULL,                      \
	     "a partition source: where it starts on the disk"},               \
	    {"source.partition.size_bytes", D, I, NULL,                        \
	     "a partition source: its length"},                                \
	    {"source.partitions.*.number", D, I, NULL,                         \
	     "a whole disk's partition, by kernel name: its number"},          \
	    {"source.partitions.*.offset_bytes", D, I, NULL,                   \
	     "where the partition starts"},                                    \
	    {"source.partitions.*.size_bytes", D, I, NULL,                     \
	     "the partition's length"},                                        \
	    {"source.partitions.*.content", D, S | N, NULL,                    \
	     "what libmagic sees at its start; null when not known"},          \
	    {"source.sysfs.vendor", D, S, NULL, "sysfs device/vendor"},        \
	    {"source.sysfs.model", D, S, NULL, "sysfs device/model"},          \
	    {"source.sysfs.firmware_revision", D, S, NULL,                     \
	     "sysfs device/rev or firmware_rev"},                              \
	    {"source.sysfs.mmc_cid", D, S, NULL, "an MMC/SD card's CID"},      \
	    {"source.sysfs.serial", D, S, NULL, "sysfs serial"},               \
	    {"source.sysfs.wwid", D, S, NULL, "sysfs wwid"},                   \
	    {"source.sysfs.removable", D, B, NULL, "sysfs removable"},         \
	    {"source.sysfs.rotational", D, B, NULL, "sysfs queue/rotational"}, \
	    {"source.sysfs.read_only", D, B, NULL, "sysfs ro"},                \
	    {"source.sysfs.size_512_byte_sectors", D, I, NULL, "sysfs size"},  \
	    {"source.sysfs.logical_block_size", D, I, NULL,                    \
	     "sysfs queue/logical_block_size"},                                \
	    {"source.sysfs.physical_block_size", D, I, NULL,                   \
	     "sysfs queue/physical_block_size"},                               \
	    {"source.loop.backing_file", D, S | N, NULL,                       \
	     "a loop device's file; null when not known"},                     \
	    {"source.loop.offset", D, I, NULL, "loop offset"},                 \
	    {"source.loop.sizelimit", D, I, NULL, "loop sizelimit"},           \
	    {"source.loop.direct_io", D, B, NULL, "loop dio"},                 \
	    {"source.loop.autoclear", D, B, NULL, "loop autoclear"},           \
	    {"source.loop.partscan", D, B, NULL, "loop partscan"},             \
	    {"source.loop.logical_sector_size", D, I, NULL,                    \
	     "loop logical sector size"},                                      \
	    {"source.dm.name", D, S, NULL, "a device-mapper device's name"},   \
	    {"source.dm.uuid", D, S, NULL, "its uuid"},                        \
	    {"source.udev", D, O | N, NULL,                                    \
	     "udev's identity properties; null when udev has none"},           \
	    {"source.udev.*", D, S, NULL, "one udev property (ID_MODEL ..)"},  \
	    {"source.scsi", D, O | N, NULL,                                    \
	     "what SCSI INQUIRY said; null when not asked or no answer"},      \
	    {"source.scsi.vendor", D, S, NULL, "INQUIRY vendor"},              \
	    {"source.scsi.product", D, S, NULL, "INQUIRY product"},            \
	    {"source.scsi.revision", D, S, NULL, "INQUIRY revision"},          \
	    {"source.scsi.peripheral_device_type", D, I, NULL,                 \
	     "INQUIRY peripheral device type"},                                \
	    {"source.scsi.removable_medium", D, B, NULL, "INQUIRY RMB"},       \
	    {"source.scsi.unit_serial_number", D, S | N, NULL,                 \
	     "VPD page 80h; null when not given"},                             \
	    {"source.scsi.naa", D, S | N, NULL,                                \
	     "VPD page 83h NAA name; null when not given"},                    \
	    {"source.ata", D, O | N, NULL,                                     \
	     "what ATA IDENTIFY DEVICE said; null when not asked or no "       \
	     "answer"},                                                        \
	    {"source.ata.via", D, S, NULL,                                     \
	     "how IDENTIFY was sent (ATA PASS-THROUGH ..)"},                   \
	    {"source.ata.model", D, S, NULL, "IDENTIFY model"},                \
	    {"source.ata.serial", D, S, NULL, "IDENTIFY serial"},              \
	    {"source.ata.firmware_revision", D, S, NULL,                       \
	     "IDENTIFY firmware revision"},                                    \
	    {"source.ata.user_addressable_sectors", D, I, NULL,                \
	     "IDENTIFY user addressable sectors"},                             \
	    {"source.ata.lba48", D, B, NULL, "48-bit addressing"},             \
	    {"source.ata.logical_sector_size", D, I, NULL,                     \
	     "IDENTIFY logical sector size"},                                  \
	    {"source.ata.physical_sector_size", D, I, NULL,                    \
	     "IDENTIFY physical sector size"},                                 \
	    {"source.ata.wwn", D, S | N, NULL, "IDENTIFY world wide name"},    \
	    {"source.ata.nominal_rotation_rate", D, I | N, NULL,               \
	     "IDENTIFY word 217 (1: not rotating)"},                           \
	    {"source.ata.transport", D, S | N, NULL,                           \
	     "IDENTIFY transport (SATA ..)"},                                  \
	    {"source.ata.identify_checksum", D, S, NULL,                       \
	     "whether IDENTIFY's checksum held"},                              \
	    {"source.ata.hpa_feature_supported", D, B, NULL,                   \
	     "the HPA feature set is supported"},                              \
	    {"source.ata.hpa_feature_enabled", D, B, NULL,                     \
	     "the HPA feature set is enabled"},                                \
	    {"source.ata.dco_feature_supported", D, B, NULL,                   \
	     "the DCO feature set is supported"},                              \
	    {"source.ata.security.supported", D, B, NULL,                      \
	     "ATA security: supported"},                                       \
	    {"source.ata.security.enabled", D, B, NULL,                        \
	     "ATA security: enabled"},                                         \
	    {"source.ata.security.locked", D, B, NULL,                         \
	     "ATA security: locked"},                                          \
	    {"source.ata.security.frozen", D, B, NULL,                         \
	     "ATA security: frozen"},                                          \
	    {"source.nvme", D, O | N, NULL,                                    \
	     "what NVMe Identify said; null when not NVMe or no answer"},      \
	    {"source.nvme.via", D, S, NULL,                                    \
	     "how Identify was sent (NVMe admin ioctl)"},                      \
	    {"source.nvme.model", D, S, NULL,                                  \
	     "Identify Controller model number"},                              \
	    {"source.nvme.serial", D, S, NULL,                                 \
	     "Identify Controller serial number"},                             \
	    {"source.nvme.firmware_revision", D, S, NULL,                      \
	     "Identify Controller firmware revision"},                         \
	    {"source.nvme.pci_vendor_id", D, I, NULL,                          \
	     "Identify Controller PCI vendor ID"},                             \
	    {"source.nvme.namespace_count", D, I, NULL,                        \
	     "Identify Controller NN: namespaces it may have"},                \
	    {"source.nvme.namespace_id", D, I, NULL,                           \
	     "the namespace read (NVME_IOCTL_ID)"},                            \
	    {"source.nvme.namespace_size_blocks", D, I | N, NULL,              \
	     "Identify Namespace NSZE; null when not known"},                  \
	    {"source.nvme.namespace_capacity_blocks", D, I | N, NULL,          \
	     "Identify Namespace NCAP"},                                       \
	    {"source.nvme.logical_block_size", D, I | N, NULL,                 \
	     "the LBA format in use: data bytes a block"},                     \
	    {"source.nvme.metadata_size", D, I | N, NULL,                      \
	     "the LBA format in use: metadata bytes a block"},                 \
	    {"source.nvme.eui64", D, S | N, NULL,                              \
	     "Identify Namespace EUI64; null when none"},                      \
	    {"source.nvme.nguid", D, S | N, NULL,                              \
	     "Identify Namespace NGUID; null when none"},                      \
	    {"source.hpa.state", D, S | N, NULL,                               \
	     "host protected area: present, absent, not supported; null "      \
	     "when not known"},                                                \
	    {"source.hpa.note", D, S, NULL, "why the HPA is not known"},       \
	    {"source.hpa.user_addressable_sectors", D, I, NULL,                \
	     "sectors the drive shows"},                                       \
	    {"source.hpa.native_max_sectors", D, I | N, NULL,                  \
	     "sectors READ NATIVE MAX gives"},                                 \
	    {"source.hpa.hidden_sectors", D, I, NULL,                          \
	     "sectors the HPA hides"},                                         \
	    {"source.hpa.hidden_first_lba", D, I, NULL,                        \
	     "the first sector the HPA hides"},                                \
	    {"source.dco.state", D, S | N, NULL,                               \
	     "device configuration overlay: present, absent, not "             \
	     "supported; null when not known"},                                \
	    {"source.dco.note", D, S, NULL, "why the DCO is not known"},       \
	    {"source.dco.factory_max_sectors", D, I | N, NULL,                 \
	     "sectors DEVICE CONFIGURATION IDENTIFY gives"},                   \
	    {"source.dco.hidden_sectors", D, I, NULL,                          \
	     "sectors the DCO hides"},                                         \
	    {"source.dco.hidden_first_lba", D, I, NULL,                        \
	     "the first sector the DCO hides"},                                \
	    {"source.model", D, S | N, NULL,                                   \
	     "the device's model, from the first place that gave it"},         \
	    {"source.vendor", D, S | N, NULL, "the device's vendor"},          \
	    {"source.serial", D, S | N, NULL, "the device's serial number"},   \
	    {"source.firmware_revision", D, S | N, NULL,                       \
	     "the device's firmware revision"},                                \
	    {"source.wwn", D, S | N, NULL, "the device's world wide name"},    \
	    {"source.transport", D, S | N, NULL, "usb, sata, nvme, loop .."},  \
	    {"source.removable", D, B | N, NULL, "removable medium"},          \
	    {"source.rotational", D, B | N, NULL, "a rotating disk"},          \
	    {"source.identity_from.*", D, S | N, NULL,                         \
	     "where the summary fact of the same name came from"},             \
	    {"source.identity_notes[]", D, S, NULL,                            \
	     "why a part of the identity is not known"},                       \
	    RAW_PAGES("source.raw_pages", D,                                   \
		      "the identity pages as the device gave them: "           \
		      "ata_identify, nvme_identify_controller, "               \
		      "nvme_identify_namespace, scsi_inquiry, scsi_vpd_80, "   \
		      "scsi_vpd_83"),                                          \
	    {"write_block", D, O | R, NULL,                                    \
	     "the kernel read-only flag and what else could write"},           \
	    {"write_block.applicable", D, B | R, NULL,                         \
	     "the source is a block device, so the flag applies"},             \
	    {"write_block.state", D, S | N, NULL,                              \
	     "what was done with the flag, in words"},                         \
	    {"write_block.no_write_block", D, B, NULL,                         \
	     "--no-write-block was given"},                                    \
	    {"write_block.readonly_before", D, B | N, NULL,                    \
	     "the source's flag before forage set it"},                        \
	    {"write_block.readonly_after", D, B | N, NULL,                     \
	     "the source's flag after the acquisition"},                       \
	    {"write_block.exclusive_open", D, B, NULL,                         \
	     "the source was opened O_EXCL"},                                  \
	    {"write_block.held_by_others", D, B | N, NULL,                     \
	     "another program held the device open"},                          \
	    {"write_block.devices.*.node", D, S, NULL,                         \
	     "a device the flag is set on (source, its disk, its "             \
	     "partitions): its node"},                                         \
	    {"write_block.devices.*.role", D, S, NULL,                         \
	     "why it is in the scope"},                                        \
	    {"write_block.devices.*.readonly", D, B | N, NULL,                 \
	     "its flag (forage info)"},                                        \
	    {"write_block.devices.*.readonly_before", D, B | N, NULL,          \
	     "its flag before"},                                               \
	    {"write_block.devices.*.flag_set_by_forage", D, B, NULL,           \
	     "forage set its flag (and cleared it at the end)"},               \
	    {"write_block.devices.*.readonly_after", D, B | N, NULL,           \
	     "its flag after"},                                                \
	    {"write_block.attached_as[]", D, S, NULL,                          \
	     "a file source: the loop devices it is attached as"},             \
	    {"write_block.stacked[]", D, S, NULL,                              \
	     "devices stacked on the source (loop, dm)"},                      \
	    {"write_block.mounted_read_write[]", D, S, NULL,                   \
	     "a file system mounted read-write on the scope"},                 \
	    {"write_block.mounted_read_only[]", D, S, NULL,                    \
	     "a file system mounted read-only on the scope"},                  \
	    {"write_block.holders[]", D, S, NULL,                              \
	     "a device holding the source (sysfs holders)"},                   \
	    {"write_block.warnings[]", D, S, NULL, "a warning given"},         \
	{                                                                      \
		"write_block.notes[]", D, S, NULL,                             \
		    "why a part of the scope could not be checked"             \
	}

/* A --verify read-back of one copy in the record (fg_verify_written). */
#define VERIFICATION(P)                                                        \
	{P, ACQ, O, NULL, "--verify: the written evidence read back"},         \
	    {P ".status", ACQ, S | R, "enum:verified|mismatch|cannot verify",  \
	     "the read-back's outcome"},                                       \
	    {P ".method", ACQ, S | R, NULL, "how it was read back"},           \
	    {P ".page_cache_bypass", ACQ, S | N, NULL,                         \
	     "how the page cache was kept out of the read"},                   \
	    {P ".started_utc", ACQ, S | R, UTC, "when it started"},            \
	    {P ".finished_utc", ACQ, S | R, UTC, "when it ended"},             \
	    {P ".md5", ACQ, S, MD5, "MD5 read back over hashes.bytes"},        \
	    {P ".sha1", ACQ, S, SHA1, "SHA-1 read back"},                      \
	    {P ".sha256", ACQ, S, SHA256, "SHA-256 read back"},                \
	    {P ".bytes", ACQ, I | R, NULL, "bytes the digests cover"},         \
	    CHECKS(P ".checks", ACQ), DAMAGE(P ".damage", ACQ),                \
	    {P ".problems[]", ACQ, S, NULL, "what went wrong, one a line"},    \
	{                                                                      \
		P ".message", ACQ, S | N, NULL, "why, when not verified"       \
	}

/* The checks of a verification, one object each. */
#define CHECKS(P, D)                                                           \
	{P "[]", D, O, NULL, "one comparison of a digest"},                    \
	    {P "[].what", D, S | R, NULL, "what was compared"},                \
	    {P "[].algorithm", D, S | N | R, "enum:md5|sha1|sha256",           \
	     "the digest compared"},                                           \
	    {P "[].expected", D, S | N | R, NULL, "the digest expected"},      \
	    {P "[].computed", D, S | N | R, NULL, "the digest computed"},      \
	    {P "[].source", D, S | N | R, NULL,                                \
	     "where the expected digest came from"},                           \
	{                                                                      \
		P "[].result", D, S | R,                                       \
		    "enum:match|MISMATCH|not needed|not verifiable",           \
		    "the outcome of the comparison"                            \
	}

/* The damage a verification found, one range each. */
#define DAMAGE(P, D)                                                           \
	{P "[]", D, O, NULL, "one damaged or unreadable range"},               \
	    {P "[].kind", D, S | R, "enum:damaged|hash window|unreadable",     \
	     "what is wrong with it"},                                         \
	    {P "[].first_lba", D, I | R, NULL, "its first sector"},            \
	    {P "[].sectors", D, I | R, NULL, "its length in sectors"},         \
	    {P "[].offset", D, I | R, NULL, "its first byte"},                 \
	    {P "[].length", D, I | R, NULL, "its length in bytes"},            \
	    {P "[].first_chunk", D, I, NULL, "an EWF range: its first chunk"}, \
	    {P "[].chunks", D, I, NULL, "an EWF range: its chunks"},           \
	    {P "[].window", D, I, NULL, "a hash window range: its window"},    \
	    {P "[].file", D, S | N | R, NULL, "the evidence file it is in"},   \
	    {P "[].file_offset", D, I, NULL, "where in that file"},            \
	    {P "[].file_length", D, I, NULL, "how much of that file"},         \
	    {P "[].zero_filled", D, B | R, NULL, "the range reads as zeros"},  \
	{                                                                      \
		P "[].detail", D, S | N | R, NULL, "what was found, in words"  \
	}

/* An E01 container written (the EWF sink's describe). */
#define CONTAINER(P)                                                           \
	{P, ACQ, O, NULL, "the E01 container written"},                        \
	    {P ".format", ACQ, S | R, "enum:e01", "the container format"},     \
	    {P ".ewf_format", ACQ, S | R, NULL,                                \
	     "the EWF variant (encase6 ..)"},                                  \
	    {P ".set_identifier", ACQ, S | R, NULL, "the segment set's GUID"}, \
	    {P ".libewf_version", ACQ, S | R, NULL, "libewf's version"},       \
	    {P ".segment_files", ACQ, I | R, NULL, "segment files written"},   \
	    {P ".segment_files_hashed_while_writing", ACQ, I | R, NULL,        \
	     "segment files hashed as they were written"},                     \
	    {P ".segment_size_limit", ACQ, I | R, NULL,                        \
	     "the largest segment file"},                                      \
	    {P ".bytes_per_sector", ACQ, I | R, NULL, "the sector size"},      \
	    {P ".sectors_per_chunk", ACQ, I | R, NULL, "sectors a chunk"},     \
	    {P ".chunk_size", ACQ, I | R, NULL, "bytes a chunk"},              \
	    {P ".media_size", ACQ, I | R, NULL,                                \
	     "the media size stored (a whole number of sectors)"},             \
	    {P ".padding_bytes", ACQ, I | R, NULL,                             \
	     "zero bytes added to reach a whole sector"},                      \
	    {P ".media_type", ACQ, S | R,                                      \
	     "enum:fixed|removable|optical|memory", "the media type stored"},  \
	    {P ".physical", ACQ, B | R, NULL, "stored as a physical device"},  \
	    {P ".compression", ACQ, S | N | R, NULL, "the compression asked"}, \
	    {P ".compressor", ACQ, S | R, NULL, "the deflate used"},           \
	    {P ".compression_threads", ACQ, I | R, NULL,                       \
	     "threads that compressed"},                                       \
	    {P ".hashes_stored", ACQ, S | N | R, NULL,                         \
	     "the digests stored in the container"},                           \
	    {P ".acquiry_errors", ACQ, I | N | R, NULL,                        \
	     "unreadable ranges stored; null when the format has no place "    \
	     "for them"},                                                      \
	{                                                                      \
		P ".warning", ACQ, S, NULL, "what the container cannot hold"   \
	}

/* The case database's anchors of one event in the record. */
#define EVENT(P)                                                               \
	{"case_db." P "_event", ACQ, I, NULL,                                  \
	 "the id of the event written to the case database's log"},            \
	{                                                                      \
		"case_db." P "_event_sha256", ACQ, S, SHA256,                  \
		    "the event's SHA-256, anchoring the log outside the "      \
		    "database"                                                 \
	}

/* The case database's row of a --verify read-back. */
#define VERIFY_ROW(P)                                                          \
	{"case_db." P "_id", ACQ, I, NULL,                                     \
	 "the read-back's row in the verifications table"},                    \
	    EVENT(P),                                                          \
	{                                                                      \
		"case_db." P "_error", ACQ, S, NULL,                           \
		    "why the read-back is not in the case database"            \
	}

/* What a run says at its end. */
#define RESULT(D, WORDS)                                                       \
	{"result", D, O | R, NULL, "the outcome"},                             \
	    {"result.status", D, S | R, WORDS, "the outcome in a word"},       \
	    {"result.exit_code", D, I, NULL, "forage's exit status"},          \
	{                                                                      \
		"result.message", D, S | N, NULL, "why, when not a success"    \
	}

const struct fg_record_key fg_record_keys[] = {
    /* ---- The acquisition record --------------------------------------- */
    FORMAT(ACQ, "forage-acquisition-1"),
    FORMAT(INF, "forage-info-1"),
    FORMAT(VER, "forage-verification-1"),
    TOOL(ACQ | INF | VER),
    {"tool.md5", ACQ | VER, S | R, NULL, "the MD5 implementation used"},
    {"tool.sha256", ACQ | VER, S | R, NULL, "the SHA-256 implementation used"},
    {"tool.executable", ACQ, S | N, NULL, "the forage program that ran"},
    {"tool.executable_sha256", ACQ, S | N, SHA256,
     "the SHA-256 of that program's file"},
    {"run", ACQ | VER, O | R, NULL, "this run"},
    {"run.host", ACQ | VER, S | N | R, NULL, "the host name"},
    {"run.examiner", VER, S | N, NULL, "who ran it (--examiner)"},
    {"run.command_line", ACQ | VER, S | N | R, NULL, "the command as given"},
    {"run.working_directory", ACQ, S | N, NULL, "the folder it ran in"},
    {"run.started_utc", ACQ | VER, S | R, UTC, "when it started"},
    {"run.finished_utc", ACQ | VER, S | N | R, UTC,
     "when it ended; null while running"},
    {"run.duration_seconds", ACQ, I, NULL, "how long it took"},
    {"run.earlier_runs[]", ACQ, S, NULL,
     "--resume: the runs this one continues"},
    {"case", ACQ, O | R, NULL, "the case, as the examiner gave it"},
    {"case.case_id", ACQ, S | N | R, NULL, "--case"},
    {"case.evidence_id", ACQ, S | N | R, NULL, "--evidence"},
    {"case.examiner", ACQ, S | N | R, NULL, "--examiner"},
    {"case.description", ACQ, S | N | R, NULL, "--description"},
    {"case.notes", ACQ, S | N | R, NULL, "--notes"},
    {"parameters", ACQ, O | R, NULL, "how it was asked to run"},
    {"parameters.format", ACQ, S | R, "enum:raw|e01", "--format"},
    {"parameters.hashes", ACQ, S | R, NULL,
     "the digests computed, comma-separated"},
    {"parameters.block_size", ACQ, I | R, NULL, "--block-size (0: default)"},
    {"parameters.retries", ACQ, I | R, NULL, "--retries"},
    {"parameters.fill_byte", ACQ, I | R, NULL, "--fill"},
    {"parameters.segment_size", ACQ, I | R, NULL, "--segment-size"},
    {"parameters.compression", ACQ, S | N, NULL, "--compression (E01)"},
    {"parameters.ewf_format", ACQ, S | N, NULL, "--ewf-format (E01)"},
    {"parameters.chunk_size", ACQ, I, NULL, "--chunk-size (E01)"},
    {"parameters.offset", ACQ, I | R, NULL, "--offset"},
    {"parameters.length", ACQ, I | R, NULL, "--length (0: to the end)"},
    {"parameters.verify", ACQ, B | R, NULL, "--verify"},
    {"parameters.verify_source", ACQ, B | R, NULL, "--verify-source"},
    {"parameters.no_write_block", ACQ, B | R, NULL, "--no-write-block"},
    {"parameters.second_output", ACQ, S | N | R, NULL, "--second-output"},
    {"parameters.profile", ACQ, S | N, NULL, "--profile: its name"},
    {"parameters.profile_sha256", ACQ, S | N, SHA256,
     "--profile: the SHA-256 of its file"},
    {"parameters.hash_window", ACQ, I, NULL, "--hash-window"},
    {"parameters.mapfile", ACQ, S | N, NULL, "--mapfile"},
    {"parameters.resume", ACQ, B, NULL, "--resume"},
    SOURCE(ACQ | INF),
    {"examined_utc", INF, S | R, UTC, "when forage info looked"},
    {"evidence", INF, O, NULL,
     "a file: what it is as evidence (forage verify's view of it)"},
    {"evidence.kind", INF, S | R,
     "enum:EWF|raw|split raw|forage record|foreign container|unknown",
     "the kind of container"},
    {"evidence.format", INF, S | N | R, NULL,
     "its format (\"EWF (EnCase 6)\", \"EWF2\", \"AFF4\", \"QCOW2\" ..)"},
    {"evidence.description", INF, S | R, NULL, "what it is, in words"},
    {"evidence.verifiable", INF, B | R, NULL,
     "forage verify reads its media (without --raw)"},
    {"evidence.note", INF, S, NULL,
     "why not, and what to use instead; or what could not be read"},
    {"evidence.media_size", INF, I, NULL, "bytes of media it holds"},
    {"evidence.sectors", INF, I, NULL, "EWF: sectors of media"},
    {"evidence.bytes_per_sector", INF, I, NULL, "its sector size"},
    {"evidence.chunk_size", INF, I, NULL, "EWF: bytes a chunk"},
    {"evidence.sectors_per_chunk", INF, I, NULL, "EWF: sectors a chunk"},
    {"evidence.compression", INF, S | N, "enum:none|fast|best",
     "EWF: the compression level stored; null when not stored"},
    {"evidence.segment_files[]", INF, S, NULL,
     "the files of the set, in order"},
    {"evidence.stored_md5", INF, S | N, MD5,
     "EWF: the MD5 stored in the set; null when none"},
    {"evidence.stored_sha1", INF, S | N, SHA1,
     "EWF: the SHA-1 stored in the set; null when none"},
    {"evidence.acquiry_errors[]", INF, O, NULL,
     "EWF: a range the acquiring tool could not read"},
    {"evidence.acquiry_errors[].first_lba", INF, I | R, NULL,
     "its first sector"},
    {"evidence.acquiry_errors[].count", INF, I | R, NULL, "its sectors"},
    {"evidence.writer.software", INF, S | N, NULL,
     "EWF: the acquiring program stored; null when not stored"},
    {"evidence.writer.software_version", INF, S | N, NULL,
     "EWF: its version; null when not stored"},
    {"evidence.writer.operating_system", INF, S | N, NULL,
     "EWF: the system it ran on; null when not stored"},
    {"evidence.metadata.*", INF, S, NULL,
     "EWF: a header value (case fields, dates ..), by name"},
    {"evidence.problems[]", INF, S, NULL,
     "damage found in the set's metadata"},
    {"health", ACQ, O, NULL,
     "the drive's health (SMART) before the first read and after the "
     "last"},
    HEALTH("health.before", "before the first read"),
    HEALTH("health.after", "after the last read"),
    {"health.comparison", ACQ, S, NULL,
     "whether before and after were compared, in words"},
    {"health.changes[]", ACQ, S, NULL,
     "a value that grew or fell during the acquisition, in words"},
    {"case_db", ACQ, O, NULL, "the case database this run is in"},
    {"case_db.path", ACQ, S, NULL, "its absolute path"},
    {"case_db.acquisition_id", ACQ, I, NULL, "this acquisition's row"},
    EVENT("started"),
    EVENT("completed"),
    {"case_db.recorded", ACQ, B, NULL, "the row was completed at the end"},
    {"case_db.error", ACQ, S, NULL, "why it was not"},
    VERIFY_ROW("verification"),
    VERIFY_ROW("verification_second_output"),
    {"reading", ACQ, O, NULL, "how the source read"},
    {"reading.mode", ACQ, S, NULL, "in order, or in passes (--mapfile)"},
    {"reading.bytes", ACQ, I, NULL, "bytes read or filled"},
    {"reading.bytes_not_read", ACQ, I, NULL, "bytes left unread"},
    {"reading.sectors_read", ACQ, I, NULL, "sectors read"},
    {"reading.sectors_filled", ACQ, I, NULL, "sectors filled with --fill"},
    {"reading.retries", ACQ, I, NULL, "reads retried"},
    {"reading.read_errors", ACQ, I, NULL, "reads that failed"},
    {"reading.bad_ranges", ACQ, I, NULL, "ranges in bad_ranges"},
    {"bad_ranges[]", ACQ, O, NULL, "sectors that could not be read"},
    {"bad_ranges[].first_lba", ACQ, I | R, NULL, "the range's first sector"},
    {"bad_ranges[].count", ACQ, I | R, NULL, "its sectors"},
    {"outputs[]", ACQ, O, NULL, "a file written"},
    {"outputs[].path", ACQ, S | R, NULL, "its path"},
    {"outputs[].size", ACQ, I | R, NULL, "its size"},
    {"outputs[].md5", ACQ, S | R, MD5, "its MD5"},
    {"outputs[].sha256", ACQ, S | R, SHA256, "its SHA-256"},
    {"outputs[].copy", ACQ, I, NULL,
     "the copy of the evidence it belongs to: 1, or 2 (--second-output); "
     "absent in records written before it was recorded"},
    {"hashes", ACQ, O, NULL, "the digests of the media"},
    {"hashes.md5", ACQ, S, MD5, "MD5 of the media"},
    {"hashes.sha1", ACQ, S, SHA1, "SHA-1 of the media"},
    {"hashes.sha256", ACQ, S, SHA256, "SHA-256 of the media"},
    {"hashes.over", ACQ, S, NULL, "what the digests cover"},
    {"hashes.bytes", ACQ, I, NULL, "bytes they cover"},
    {"hashes.computed", ACQ, S, NULL, "how they were computed"},
    {"hashes.image_reread_from", ACQ, I, NULL,
     "the first byte hashed by re-reading the image"},
    {"hashes.e01_padded.over", ACQ, S, NULL,
     "what the padded digests cover (the E01's media)"},
    {"hashes.e01_padded.bytes", ACQ, I, NULL, "bytes they cover"},
    {"hashes.e01_padded.md5", ACQ, S, MD5, "MD5 of the padded media"},
    {"hashes.e01_padded.sha1", ACQ, S, SHA1, "SHA-1 of the padded media"},
    {"hashes.e01_padded.sha256", ACQ, S, SHA256, "SHA-256 of the padded media"},
    {"hash_windows", ACQ | VER, O, NULL, "digests of fixed-size windows"},
    {"hash_windows.size", ACQ | VER, I | R, NULL, "bytes a window"},
    {"hash_windows.algorithm", ACQ, S | R, "enum:sha256", "their digest"},
    {"hash_windows.sha256[]", ACQ, S, SHA256, "one window's SHA-256"},
    CONTAINER("container"),
    CONTAINER("second_container"),
    VERIFICATION("verification"),
    VERIFICATION("verification_second_output"),
    {"verify_source", ACQ, O, NULL, "--verify-source: the source re-read"},
    {"verify_source.started_utc", ACQ, S | R, UTC, "when it started"},
    {"verify_source.method", ACQ, S | R, NULL, "how"},
    {"verify_source.status", ACQ, S, "enum:match|mismatch|interrupted|failed",
     "its outcome"},
    {"verify_source.message", ACQ, S | N, NULL, "why it failed"},
    {"verify_source.md5", ACQ, S, MD5, "MD5 re-read"},
    {"verify_source.sha1", ACQ, S, SHA1, "SHA-1 re-read"},
    {"verify_source.sha256", ACQ, S, SHA256, "SHA-256 re-read"},
    {"verify_source.sectors_filled", ACQ, I, NULL,
     "sectors that could not be re-read"},
    {"verify_source.finished_utc", ACQ, S, UTC, "when it ended"},
    RESULT(ACQ, "enum:running|success|completed with errors|interrupted|"
		"verification failed|failed"),

    /* ---- One verification (forage verify --json) ---------------------- */
    {"input", VER, S | N | R, NULL, "the image or record given"},
    {"record", VER, S | N | R, NULL, "the acquisition record used"},
    {"copy", VER, O, NULL,
     "the copy verified, when the record names several (--second-output)"},
    {"copy.number", VER, I, NULL,
     "which: 1, 2, ...; 0 when which copy the image given is cannot be "
     "told"},
    {"copy.of", VER, I, NULL, "the copies the record names"},
    {"image", VER, O, NULL, "the evidence image"},
    {"image.kind", VER, S | R, NULL, "raw, split raw, EWF"},
    {"image.format", VER, S | R, NULL, "its format in words"},
    {"image.content", VER, S | N | R, NULL, "what it holds, in words"},
    {"image.media_size", VER, I | R, NULL, "bytes of media"},
    {"image.sector_size", VER, I | R, NULL, "its sector size"},
    {"image.chunk_size", VER, I, NULL, "an EWF image: bytes a chunk"},
    {"image.page_cache_bypass", VER, S | N | R, NULL,
     "how the page cache was kept out of the read"},
    {"image.files[]", VER, O, NULL, "a file of the image"},
    {"image.files[].path", VER, S | R, NULL, "its path"},
    {"image.files[].size", VER, I | R, NULL, "its size"},
    {"image.metadata.*", VER, S, NULL, "an EWF header value, by name"},
    {"computed", VER, O, NULL, "the digests computed over the media"},
    {"computed.md5", VER, S | N | R, MD5, "MD5"},
    {"computed.sha1", VER, S | N | R, SHA1, "SHA-1"},
    {"computed.sha256", VER, S | N | R, SHA256, "SHA-256"},
    {"computed.bytes", VER, I | R, NULL, "bytes they cover"},
    CHECKS("checks", VER),
    DAMAGE("damage", VER),
    {"chunks", VER, I, NULL, "an EWF image: its chunks"},
    {"chunks_read_through_libewf", VER, I, NULL,
     "chunks libewf read (the rest were read directly)"},
    {"bytes_past_media_end", VER, I, NULL,
     "an EWF image: bytes it holds past the media's end, in the media's "
     "last chunk or in a chunk of their own, its checksum holding (not "
     "media, not damage)"},
    {"damaged_chunks_past_media_end", VER, I, NULL,
     "an EWF image: chunks its tables list past the media's last one "
     "that fail their checks (they hold no media)"},
    {"damaged_bytes", VER, I | R, NULL, "bytes in damaged ranges"},
    {"unreadable_bytes", VER, I | R, NULL, "bytes that could not be read"},
    {"hash_windows.count", VER, I | R, NULL, "windows"},
    {"hash_windows.differing", VER, I | R, NULL, "windows that differ"},
    {"hash_windows.not_verifiable", VER, I | R, NULL,
     "windows that could not be checked"},
    {"hash_windows.intact[]", VER, O, NULL, "a run of intact windows"},
    {"hash_windows.intact[].first_window", VER, I | R, NULL, "its first"},
    {"hash_windows.intact[].last_window", VER, I | R, NULL, "its last"},
    {"hash_windows.intact[].offset", VER, I | R, NULL, "its first byte"},
    {"hash_windows.intact[].length", VER, I | R, NULL, "its bytes"},
    {"problems[]", VER, S, NULL, "what went wrong, one a line"},
    {"notes[]", VER, S, NULL, "what else a reader should know"},
    RESULT(VER, "enum:verified|MISMATCH|interrupted|cannot verify"),
    {"case_db.path", VER, S | N, NULL,
     "the case database the verification is in; null when none"},
    {"case_db.verification_id", VER, I, NULL, "its row there"},
    {"case_db.acquisition_id", VER, I, NULL, "the acquisition's row"},
    {"case_db.note", VER, S, NULL, "what was recorded, in words"},
    {"case_db.verification_event", VER, I, NULL,
     "the event the verification wrote to the case database's log: the "
     "log's head when it was recorded"},
    {"case_db.verification_event_sha256", VER, S, SHA256,
     "that event's SHA-256, anchoring the log outside the database"},

    /* ---- What forage verify --json prints ----------------------------- */
    {"verifications[]", VLS, O, "doc:verify", "one verification"},
    {"not_verified[]", VLS, O, NULL,
     "an evidence of the case that was not verified"},
    {"not_verified[].case_id", VLS, S | N | R, NULL, "its case"},
    {"not_verified[].evidence_id", VLS, S | N | R, NULL, "its evidence"},
    {"not_verified[].acquisition_id", VLS, I, NULL, "its acquisition"},
    {"not_verified[].acquisition_state", VLS, S | N | R, NULL,
     "the acquisition's state"},
    {"not_verified[].result.status", VLS, S | R, NULL, "why, in a word"},
    {"not_verified[].result.message", VLS, S | N | R, NULL, "why"},
    {"case", VLS, S, NULL, "--case: the case verified"},
    {"result", VLS, O | R, NULL, "the outcome"},
    {"result.status", VLS, S | R,
     "enum:verified|MISMATCH|interrupted|cannot verify",
     "the outcome in a word"},
    {"result.exit_code", VLS, I | R, NULL, "forage's exit status"},
    {"result.verified", VLS, I | R, NULL, "images verified"},
    {"result.mismatched", VLS, I | R, NULL, "images that did not match"},
    {"result.not_verified", VLS, I | R, NULL, "images not verified"},
    {"result.message", VLS, S | N | R, NULL, "why, when not verified"},
};

const size_t fg_record_nkeys =
    sizeof(fg_record_keys) / sizeof(fg_record_keys[0]);

unsigned fg_record_doc_of_format(const char *record_format)
{
	static const struct {
		const char *name;
		unsigned doc;
	} f[] = {{"forage-acquisition-1", FG_RDOC_ACQ},
		 {"forage-info-1", FG_RDOC_INFO},
		 {"forage-verification-1", FG_RDOC_VERIFY}};
	size_t i;

	for (i = 0; record_format != NULL && i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(record_format, f[i].name) == 0)
			return f[i].doc;
	return 0;
}

/* key against a pattern: "*" stands for one non-empty component. */
static int match(const char *pat, const char *key)
{
	while (*pat != '\0') {
		if (*pat == '*') {
			if (*key == '\0' || *key == '.')
				return 0;
			while (*key != '\0' && *key != '.')
				key++;
			pat++;
			continue;
		}
		if (*pat != *key)
			return 0;
		pat++;
		key++;
	}
	return *key == '\0';
}

/* Loosely: some tail of key (whole components) matches some tail of pat
 * that does not start with "*" ("x.hpa.state" and "source.hpa.state",
 * "what" and "checks[].what"). */
static int match_tail(const char *pat, const char *key)
{
	const char *p, *k;

	for (p = pat; p != NULL; p = strchr(p, '.'), p = p ? p + 1 : NULL) {
		if (*p == '*')
			continue;
		for (k = key; k != NULL;
		     k = strchr(k, '.'), k = k ? k + 1 : NULL)
			if (match(p, k))
				return 1;
	}
	return 0;
}

const struct fg_record_key *fg_record_key_find(const char *key, unsigned docs,
					       unsigned type, int loose)
{
	size_t i;

	for (i = 0; i < fg_record_nkeys; i++) {
		const struct fg_record_key *e = &fg_record_keys[i];

		if (!(e->docs & docs) || !(e->types & type))
			continue;
		if (loose ? match_tail(e->key, key) : match(e->key, key))
			return e;
	}
	return NULL;
}

/* ---- JSON Schemas -------------------------------------------------------- */

/* A pattern with every "[]" made a component of its own ("a[].b" ->
 * "a.[].b") into buf: the schema tree is walked in those components. */
static void norm(char *buf, size_t len, const char *key)
{
	size_t n = 0;

	for (; *key != '\0' && n + 2 < len; key++) {
		if (key[0] == '[' && key[1] == ']') {
			buf[n++] = '.';
			buf[n++] = '[';
			continue;
		}
		buf[n++] = *key;
	}
	buf[n] = '\0';
}

/* The entry of doc whose normalised key is path, or NULL. */
static const struct fg_record_key *own(const char *path, unsigned doc)
{
	char k[160];
	size_t i;

	for (i = 0; i < fg_record_nkeys; i++) {
		if (!(fg_record_keys[i].docs & doc))
			continue;
		norm(k, sizeof(k), fg_record_keys[i].key);
		if (strcmp(k, path) == 0)
			return &fg_record_keys[i];
	}
	return NULL;
}

/* The names of path's children in doc, in table order, into an array. */
static json_t *children(const char *path, unsigned doc)
{
	json_t *names = json_array();
	size_t plen = strlen(path), i, j;
	char k[160];

	if (names == NULL)
		return NULL;
	for (i = 0; i < fg_record_nkeys; i++) {
		const char *rest, *dot;
		json_t *name;
		int seen = 0;

		if (!(fg_record_keys[i].docs & doc))
			continue;
		norm(k, sizeof(k), fg_record_keys[i].key);
		if (plen == 0)
			rest = k;
		else if (strncmp(k, path, plen) == 0 && k[plen] == '.')
			rest = k + plen + 1;
		else
			continue;
		dot = strchr(rest, '.');
		name = json_stringn(rest, dot != NULL ? (size_t)(dot - rest)
						      : strlen(rest));
		if (name == NULL) {
			json_decref(names);
			return NULL;
		}
		for (j = 0; j < json_array_size(names); j++)
			if (json_equal(json_array_get(names, j), name))
				seen = 1;
		if (seen)
			json_decref(name);
		else if (json_array_append_new(names, name) != 0) {
			json_decref(names);
			return NULL;
		}
	}
	return names;
}

static int add_types(json_t *s, unsigned types)
{
	static const struct {
		unsigned bit;
		const char *name;
	} t[] = {{FG_RT_STR, "string"},	   {FG_RT_INT, "integer"},
		 {FG_RT_BOOL, "boolean"},  {FG_RT_NULL, "null"},
		 {FG_RT_OBJECT, "object"}, {FG_RT_ARRAY, "array"}};
	json_t *a = json_array();
	size_t i;

	if (a == NULL)
		return -1;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if ((types & t[i].bit) &&
		    json_array_append_new(a, json_string(t[i].name)) != 0) {
			json_decref(a);
			return -1;
		}
	if (json_array_size(a) == 1) {
		json_t *one = json_incref(json_array_get(a, 0));
		json_decref(a);
		return json_object_set_new(s, "type", one);
	}
	return json_object_set_new(s, "type", a);
}

static int add_form(json_t *s, const struct fg_record_key *e)
{
	static const struct {
		const char *form, *pattern;
	} p[] = {
	    {MD5, "^[0-9a-f]{32}$"},
	    {SHA1, "^[0-9a-f]{40}$"},
	    {SHA256, "^[0-9a-f]{64}$"},
	    {UTC, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"}};
	size_t i;

	if (e->form == NULL)
		return 0;
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		if (strcmp(e->form, p[i].form) == 0)
			return json_object_set_new(s, "pattern",
						   json_string(p[i].pattern));
	if (strncmp(e->form, "enum:", 5) == 0) {
		json_t *a = json_array();
		const char *w = e->form + 5, *bar;

		if (a == NULL)
			return -1;
		for (;;) {
			bar = strchr(w, '|');
			if (json_array_append_new(
				a,
				json_stringn(w, bar != NULL ? (size_t)(bar - w)
							    : strlen(w))) != 0)
				break;
			if (bar == NULL)
				break;
			w = bar + 1;
		}
		if ((e->types & FG_RT_NULL) &&
		    json_array_append_new(a, json_null()) != 0) {
			json_decref(a);
			return -1;
		}
		return json_object_set_new(s, "enum", a);
	}
	return 0;
}

/* The schema of the value at path (normalised) in doc. */
static json_t *node(const char *path, unsigned doc)
{
	const struct fg_record_key *e = own(path, doc);
	json_t *s = json_object(), *names = children(path, doc);
	char sub[160];
	size_t i;
	int rc = 0;

	if (s == NULL || names == NULL)
		goto fail;
	if (e != NULL && e->meaning != NULL)
		rc |= json_object_set_new(s, "description",
					  json_string(e->meaning));
	if (e != NULL && e->form != NULL &&
	    strcmp(e->form, "doc:verify") == 0) {
		rc |= json_object_set_new(s, "$ref",
					  json_string("#/$defs/verification"));
	} else if (json_array_size(names) == 0) {
		rc |= add_types(s, e != NULL ? e->types : FG_RT_OBJECT);
		rc |= e != NULL ? add_form(s, e) : 0;
	} else if (strcmp(json_string_value(json_array_get(names, 0)), "[]") ==
		   0) {
		snprintf(sub, sizeof(sub), "%s.[]", path);
		rc |= add_types(s, FG_RT_ARRAY |
				       (e != NULL ? e->types & FG_RT_NULL : 0));
		rc |= json_object_set_new(s, "items", node(sub, doc));
	} else {
		json_t *props = json_object(), *req = json_array();
		json_t *more = json_false();

		rc |= props == NULL || req == NULL;
		rc |= add_types(s, FG_RT_OBJECT |
				       (e != NULL ? e->types & FG_RT_NULL : 0));
		for (i = 0; rc == 0 && i < json_array_size(names); i++) {
			const char *n =
			    json_string_value(json_array_get(names, i));
			const struct fg_record_key *ce;

			snprintf(sub, sizeof(sub), "%s%s%s", path,
				 path[0] != '\0' ? "." : "", n);
			if (strcmp(n, "*") == 0) {
				json_decref(more);
				more = node(sub, doc);
				continue;
			}
			rc |= json_object_set_new(props, n, node(sub, doc));
			ce = own(sub, doc);
			if (ce != NULL && (ce->types & FG_RT_REQUIRED))
				rc |=
				    json_array_append_new(req, json_string(n));
		}
		if (json_object_size(props) > 0)
			rc |= json_object_set(s, "properties", props);
		if (json_array_size(req) > 0)
			rc |= json_object_set(s, "required", req);
		rc |= json_object_set_new(s, "additionalProperties", more);
		json_decref(props);
		json_decref(req);
	}
	if (rc != 0)
		goto fail;
	json_decref(names);
	return s;
fail:
	json_decref(s);
	json_decref(names);
	return NULL;
}

char *fg_record_schema(unsigned doc)
{
	static const struct {
		unsigned doc;
		const char *title, *description;
	} t[] = {
	    {FG_RDOC_ACQ, "forage acquisition record",
	     "OUTBASE.json, record_format forage-acquisition-1"},
	    {FG_RDOC_INFO, "forage info --json",
	     "what forage info --json prints, record_format forage-info-1"},
	    {FG_RDOC_VERIFY, "forage verification",
	     "one verification, record_format forage-verification-1"},
	    {FG_RDOC_VLIST, "forage verify --json",
	     "what forage verify --json prints: the verifications made"},
	};
	json_t *top = json_object(), *body = NULL, *defs = NULL;
	const char *key;
	json_t *v;
	char *text = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(t) / sizeof(t[0]) && t[i].doc != doc; i++)
		;
	if (top == NULL || i == sizeof(t) / sizeof(t[0]))
		goto out;
	rc |= json_object_set_new(
	    top, "$schema",
	    json_string("https://json-schema.org/draft/2020-12/schema"));
	rc |= json_object_set_new(top, "title", json_string(t[i].title));
	rc |= json_object_set_new(top, "description",
				  json_string(t[i].description));
	rc |= json_object_set_new(
	    top, "$comment",
	    json_string("generated from src/lib/record/record_keys.c by "
			"tests/unit/test_record --schema; do not edit"));
	body = node("", doc);
	if (rc != 0 || body == NULL)
		goto out;
	json_object_del(body, "description");
	json_object_foreach(body, key, v)
	{
		if (json_object_set(top, key, v) != 0)
			goto out;
	}
	if (doc == FG_RDOC_VLIST) {
		json_t *one = node("", FG_RDOC_VERIFY);
		defs = json_object();
		if (one == NULL || defs == NULL ||
		    json_object_set_new(defs, "verification", one) != 0 ||
		    json_object_set(top, "$defs", defs) != 0)
			goto out;
	}
	text = json_dumps(top, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
out:
	json_decref(defs);
	json_decref(body);
	json_decref(top);
	return text;
}

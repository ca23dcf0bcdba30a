// SPDX-License-Identifier: MIT
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>

#include "core/image.h"

bool image_is_elf(const void *data, size_t size)
{
	return size >= SELFMAG && memcmp(data, ELFMAG, SELFMAG) == 0;
}

/* The table the header describes (e_shnum entries, or at least entry 0 that
 * holds the count when e_shnum overflows) must lie inside the file, and
 * libelf must have seen all of it.
 */
static bool section_table_fits(const GElf_Ehdr *ehdr, size_t shnum, size_t size)
{
	size_t want = ehdr->e_shnum ? ehdr->e_shnum : 1;

	if (!ehdr->e_shoff)
		return shnum == 0;
	if (ehdr->e_shoff > size || ehdr->e_shentsize < sizeof(Elf32_Shdr))
		return false;
	if (want > (size - ehdr->e_shoff) / ehdr->e_shentsize)
		return false;
	return !ehdr->e_shnum || shnum == ehdr->e_shnum;
}

static int match_section(const void *image, size_t size, const char *name,
			 const GElf_Shdr *sh, const char *sec_name,
			 struct image_section *secs, size_t sec_cnt, struct bp_err *err)
{
	size_t i;

	for (i = 0; i < sec_cnt; i++) {
		if (strcmp(secs[i].name, sec_name) != 0)
			continue;
		if (sh->sh_type == SHT_NOBITS)
			return bp_err_set(err, EINVAL, "%s: section %s has no data", name, sec_name);
		if (sh->sh_offset > size || sh->sh_size > size - sh->sh_offset)
			return bp_err_set(err, EINVAL,
					  "%s: section %s claims bytes %llu..%llu but the file has %zu",
					  name, sec_name, (unsigned long long)sh->sh_offset,
					  (unsigned long long)(sh->sh_offset + sh->sh_size), size);
		if (secs[i].data)
			return bp_err_set(err, EINVAL, "%s: section %s appears twice", name, sec_name);
		secs[i].data = (const char *)image + sh->sh_offset;
		secs[i].size = sh->sh_size;
	}
	return 0;
}

int image_find_sections(const void *image, size_t size, const char *name,
		      struct image_section *secs, size_t sec_cnt, bool *big_endian,
		      struct bp_err *err)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx, shnum, i;
	GElf_Ehdr ehdr;
	Elf *elf;
	int ret = 0, elf_err;

	for (i = 0; i < sec_cnt; i++) {
		secs[i].data = NULL;
		secs[i].size = 0;
	}
	if (!image_is_elf(image, size))
		return bp_err_set(err, EINVAL, "%s: not an ELF file", name);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bp_err_set(err, EINVAL, "%s: libelf initialization failed", name);
	/* libelf only reads the image in ELF_C_READ mode despite the char * */
	elf = elf_memory((char *)image, size);
	if (!elf)
		return bp_err_set(err, EINVAL, "%s: not a valid ELF file: %s", name,
				  elf_errmsg(-1));
	if (!gelf_getehdr(elf, &ehdr) || elf_getshdrstrndx(elf, &shstrndx)) {
		ret = bp_err_set(err, EINVAL, "%s: corrupt ELF header: %s", name, elf_errmsg(-1));
		goto out;
	}
	/* libelf quietly shows no sections when the table lies past the end:
	 * a truncated file must not pass as an object without BTF
	 */
	if (elf_getshdrnum(elf, &shnum) ||
	    !section_table_fits(&ehdr, shnum, size)) {
		ret = bp_err_set(err, EINVAL,
				 "%s: section header table lies outside the %zu-byte file (truncated?)",
				 name, size);
		goto out;
	}
	*big_endian = ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
	(void)elf_errno();	/* forget errors of earlier calls: only the walk's count */
	while ((scn = elf_nextscn(elf, scn))) {
		const char *sec_name;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh)) {
			ret = bp_err_set(err, EINVAL, "%s: corrupt section header: %s", name,
					 elf_errmsg(-1));
			goto out;
		}
		sec_name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!sec_name)
			continue; /* unnamed or bad name: cannot be one we want */
		ret = match_section(image, size, name, &sh, sec_name, secs, sec_cnt, err);
		if (ret)
			goto out;
	}
	/* elf_errno() clears the error it returns: keep it for the message */
	elf_err = elf_errno();
	if (elf_err) {
		ret = bp_err_set(err, EINVAL, "%s: corrupt section table: %s", name,
				 elf_errmsg(elf_err));
		goto out;
	}
out:
	elf_end(elf);
	return ret;
}

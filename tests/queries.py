"""Name the queries a test captured, so a test can pin which queries run, not only how many."""

import re


def statement_names(captured) -> list[str]:
    """Each query of a CaptureQueriesContext as its verb and first table ("SELECT coworking_resource",
    "INSERT coworking_booking"), "… FOR UPDATE" when it locks; BEGIN, COMMIT, SAVEPOINT as they are."""
    names = []
    for query in captured:
        sql = query["sql"]
        verb = sql.split()[0]
        table = re.search(r'(?<!AS )"(\w+)"', sql)  # the first quoted name that is not an alias
        if verb not in ("SELECT", "INSERT", "UPDATE", "DELETE") or table is None:
            names.append(verb)
            continue
        names.append(f"{verb} {table.group(1)}" + (" FOR UPDATE" if " FOR UPDATE" in sql else ""))
    return names

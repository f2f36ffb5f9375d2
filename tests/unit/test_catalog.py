from tracker.domain.catalog import DEFAULT_ENTITIES, Catalog, Entity, is_particle_run


def test_default_catalog_has_every_guideline_org():
    names = Catalog().names
    for n in ("SK Group", "SK hynix", "SK Telecom", "SK Inc.", "Samsung Electronics", "OpenAI", "Amazon",
              "Nvidia", "TSMC", "Arm", "Lambda", "Dell", "Supermicro", "Foxconn", "Deutsche Telekom"):
        assert n in names
    assert len(names) == len(DEFAULT_ENTITIES)


def test_resolve_handles_case_particles_possessive_and_people():
    cat = Catalog()
    assert cat.resolve("하이닉스").name == "SK hynix"
    assert cat.resolve("sk hynix").name == "SK hynix"
    assert cat.resolve("에스케이하이닉스").name == "SK hynix"
    assert cat.resolve("엔비디아와").name == "Nvidia"
    assert cat.resolve("엔비디아와의").name == "Nvidia"
    assert cat.resolve("NVIDIA's").name == "Nvidia"
    assert cat.resolve("젠슨 황").name == "Nvidia"
    assert cat.resolve("젠슨황").name == "Nvidia"
    assert cat.resolve("최태원").name == "SK Group"
    assert cat.resolve("AWS").name == "Amazon"
    assert cat.resolve("TSMC가").name == "TSMC"
    assert cat.resolve("오픈AI의").name == "OpenAI"
    assert cat.resolve("SKT는").name == "SK Telecom"


def test_resolve_unknown_returns_none():
    cat = Catalog()
    assert cat.resolve("팔란티어") is None
    assert cat.resolve("") is None
    assert cat.resolve("   ") is None


def test_suggest_offers_close_names_in_both_scripts():
    cat = Catalog()
    assert cat.suggest("Nvidea")[0] == "Nvidia"
    assert cat.suggest("엔비디")[0] == "Nvidia"
    assert "SK hynix" in cat.suggest("hynics")
    assert len(cat.suggest("Samsung Elec", limit=2)) <= 2
    assert cat.suggest("zzzzqqq") == []


def test_extra_entities_add_and_extend():
    cat = Catalog(extra=[Entity("Rebellions", ("리벨리온",), ("박성현",)), Entity("Nvidia", ("엔비디아코리아",))])
    assert "Rebellions" in cat.names
    assert cat.resolve("리벨리온과").name == "Rebellions"
    assert cat.resolve("박성현").name == "Rebellions"
    nv = cat.get("Nvidia")
    assert "엔비디아코리아" in nv.aliases and "엔비디아" in nv.aliases
    assert cat.names.count("Nvidia") == 1


def test_particle_runs():
    assert is_particle_run("와의")
    assert is_particle_run("로부터")
    assert is_particle_run("")
    assert not is_particle_run("버스")
    assert not is_particle_run("리케이션")

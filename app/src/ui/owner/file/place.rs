//! Where: the community and building pickers, and a logged-in owner's own units.

use super::*;

/// Community, then its buildings: every community's buildings, grouped (`data-community`);
/// the browser module narrows them to the chosen community.
#[component]
pub(super) fn PlacePickers(
    list: Vec<CommunityOption>,
    community: String,
    echoed_building: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let communities = list
        .iter()
        .map(|c| {
            let id = c.id.to_string();
            let selected = community == id;
            // The emergency box calls the chosen community's hotline.
            let tel = domain::Hotline::stored(&c.hotline).map(|h| h.tel_uri());
            view! {
                <option value=id selected=selected data-hotline=c.hotline.clone() data-tel=tel>
                    {c.name.clone()}
                </option>
            }
        })
        .collect_view();
    let buildings = list
        .into_iter()
        .map(|c| {
            view! {
                <optgroup label=c.name data-community=c.id.to_string()>
                    {c.buildings.into_iter().map(|b| {
                        let id = b.id.to_string();
                        let selected = id == echoed_building;
                        view! { <option value=id selected=selected>{b.name}</option> }
                    }).collect_view()}
                </optgroup>
            }
        })
        .collect_view();
    view! {
        <div class="field-row">
            <div class="field">
                <label for="community_id">{t(Msg::FieldCommunity)}</label>
                <select id="community_id" name="intake[community_id]" required
                    aria-describedby="community_id-error">
                    <option value="">{t(Msg::ChooseCommunity)}</option>
                    {communities}
                </select>
                <FieldMessage id="community_id-error" field="community_id" error />
            </div>
            <div class="field">
                <label for="building_id">{t(Msg::FieldBuilding)}</label>
                <select id="building_id" name="intake[building_id]" aria-describedby="building_id-error">
                    <option value="">{t(Msg::ChooseBuilding)}</option>
                    {buildings}
                </select>
                <FieldMessage id="building_id-error" field="building_id" error />
            </div>
        </div>
    }
}

/// An owner with several units chooses the one the complaint is about.
#[component]
pub(super) fn OwnUnits(units: Vec<crate::model::Caller>) -> impl IntoView {
    (!units.is_empty()).then(|| {
        view! {
            <div class="field own-units" data-testid="own-units">
                <p class="field-help">{t(Msg::OwnUnits)}</p>
                <p>
                    {units.into_iter().map(|u| view! {
                        <a class="button" rel="external" href=format!("/complaints/new?household={}", u.household_id)>
                            {format!("{} {} {}", u.community, u.building, u.unit)}
                        </a>" "
                    }).collect_view()}
                </p>
            </div>
        }
    })
}

/// `?household=` on the form: which of the owner's units this complaint is about.
pub(super) fn chosen_household() -> Option<i64> {
    leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("household")
        .and_then(|id| id.parse().ok())
}
